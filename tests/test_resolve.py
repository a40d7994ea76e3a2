"""Build-wide resolution: programs a file reports more than once are one node."""

from rdflib import RDF

from kg.graph import UKG
from kg.pipeline import extract_sources


def _programs(graph, union_label):
    q = f"""PREFIX ukg: <{UKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?p ?label (COUNT(DISTINCT ?ev) AS ?n) (COUNT(DISTINCT ?art) AS ?arts) WHERE {{
      ?u rdfs:label "{union_label}" ; ukg:runs ?p . ?p rdfs:label ?label ; ukg:evidence ?ev ; ukg:mentionedIn ?art
    }} GROUP BY ?p ?label"""
    return {str(r.label): (int(r.n), int(r.arts)) for r in graph.query(q)}


def test_a_program_a_page_reports_in_several_articles_is_one_node(seeds):
    page = next(seeds.glob("002_*.txt"))
    result = extract_sources([page])
    contests = {k: v for k, v in _programs(result.graph, "临夏回族自治州总工会").items() if "技能竞赛" in k}
    # three articles of the page tell of the contest (职业技能竞赛, 技能竞赛, 扶贫车间职业技能竞赛)
    assert len(contests) == 1
    ((label, (evidence, articles)),) = contests.items()
    assert label == "职业技能竞赛" and evidence == 3 and articles == 3


def test_programs_of_one_name_in_different_files_stay_apart(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("临夏州总工会举办扶贫车间职业技能竞赛。\n", encoding="utf-8")
    graph = extract_sources([tmp_path]).graph
    assert len(set(graph.subjects(RDF.type, UKG.Program))) == 2
