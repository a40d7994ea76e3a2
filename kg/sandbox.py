"""Take away a process's network: a seccomp filter that refuses Internet sockets.

The SPARQL engine (Oxigraph) has an HTTP client: ``SERVICE`` and ``LOAD`` make
it open connections. The endpoint refuses such queries after parsing them, and
its query workers also run under this filter, so that even a query that slipped
past the check could not reach the network: ``socket()`` for IPv4, IPv6 and raw
packets, and ``io_uring_setup`` (which could open sockets behind the filter's
back), fail with ``EACCES``. Local pipes and Unix sockets keep working.

Linux on x86-64 and AArch64 only; :func:`deny_network` says whether it could.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# (audit arch, socket, io_uring_setup, socketcall or None) per machine
_ARCH = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
    "arm64": (0xC00000B7, 198, 425),
}
_X32_BIT = 0x40000000
_DENIED_FAMILIES = (socket.AF_INET, socket.AF_INET6, getattr(socket, "AF_PACKET", 17))

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


def _filter(arch: int, nr_socket: int, nr_io_uring: int) -> bytes:
    deny = _RET_ERRNO | errno.EACCES
    prog = [
        (_LD_W_ABS, 0, 0, 4),                 # A = arch
        (_JEQ_K, 1, 0, arch),                 # native arch? skip the next
        (_RET_K, 0, 0, deny),                 # any other ABI (i386 on x86-64): refused
        (_LD_W_ABS, 0, 0, 0),                 # A = syscall number
        (_JGE_K, 0, 1, _X32_BIT),             # x32 ABI on x86-64: refused
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 1, nr_io_uring),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 1, 0, nr_socket),            # socket()? go and look at its family
        (_RET_K, 0, 0, _RET_ALLOW),
        (_LD_W_ABS, 0, 0, 16),                # A = low word of args[0] (the family)
    ]
    for fam in _DENIED_FAMILIES:
        prog.append((_JEQ_K, 0, 1, fam))
        prog.append((_RET_K, 0, 0, deny))
    prog.append((_RET_K, 0, 0, _RET_ALLOW))
    return b"".join(struct.pack("HBBI", *ins) for ins in prog)


def deny_network() -> bool:
    """Install the filter in this process (and its future children); True when it took effect.

    It cannot be undone. Call it in a process made for the purpose (a query worker).
    """
    arch = _ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None or sys.byteorder != "little":
        return False
    code = _filter(*arch)
    n = len(code) // 8
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(n, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        return False
    return True


def network_denied() -> bool:
    """True when this process cannot open an Internet socket."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False
