#!/usr/bin/python3
"""Traffic helpers for the netns tests; lib.sh calls them, tests do not.

Sub-commands (every one finishes by itself within a bounded time, except the
two servers, which lib.sh starts in the background and kills):

  serve READY LOG TCPPORTS UDPPORTS
        Dual-stack TCP and UDP servers on '::' (comma lists of ports, or '-').
        TCP: accept, send "ok\\n", close.  UDP: answer "ok".  Every accepted
        connection / received datagram appends "tcp|udp SRC PORT" to LOG.
  tcp SRC DST PORT [TIMEOUT]     exit 0 if a connection from SRC got "ok".
  udp SRC DST PORT [TIMEOUT]     exit 0 if a datagram from SRC got "ok" back.
  udpsend SRC DST PORT N         send N datagrams, wait for nothing.
  sniff IFACE READY OUT
        AF_PACKET receiver: for every frame that reaches IFACE (after XDP)
        appends each marker id it carries (b"XDPFWT<id>;") to OUT, one a line.
  send IFACE SCRIPT SENTINEL
        Runs the python SCRIPT (scapy names in scope, plus FW_MAC, PEER_MAC,
        FW4, PEER4, FW6, PEER6, IFACE, M(id) -> marker bytes and
        PAD(frame, size=60, fill=b"\\0") -> the frame's bytes padded as a
        sender pads a short frame); the script sets `frames`, a list of
        scapy packets or bytes.  Sends them in order on IFACE,
        then a non-IP sentinel frame (ethertype 0x88b5) carrying marker
        SENTINEL.  Prints "ID LEN" for each frame (ID '-' if it has no marker).
  stream IFACE SCRIPT STOPFILE OUT
        Like send, but sends the frames round-robin until STOPFILE exists
        (or 120 s pass), then writes "ID COUNT" per marker id to OUT.
  probe IFACE tcp|udp|icmp SRC DST PORT ID SENTINEL
        Like send, for one TCP SYN, UDP datagram or ICMP(v6) echo request
        from SRC to DST carrying marker ID, built without scapy (fast to
        start). Uses FW_MAC and PEER_MAC from the environment.
"""
import os
import re
import select
import socket
import struct
import sys
import time

MARK = re.compile(rb"XDPFWT([A-Za-z0-9_.:-]+);")


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def ports(arg):
    return [] if arg in ("-", "") else [int(p) for p in arg.split(",")]


def serve(ready, log, tcpports, udpports):
    socks = {}
    for p in ports(tcpports):
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::", p))
        s.listen(128)
        socks[s.fileno()] = ("tcp", s, p)
    for p in ports(udpports):
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind(("::", p))
        socks[s.fileno()] = ("udp", s, p)
    out = open(log, "a", buffering=1)
    open(ready, "w").close()
    poll = select.poll()
    for fd in socks:
        poll.register(fd, select.POLLIN)
    while True:
        for fd, _ in poll.poll():
            kind, s, p = socks[fd]
            if kind == "tcp":
                c, addr = s.accept()
                out.write("tcp %s %d\n" % (unmap(addr[0]), p))
                try:
                    c.sendall(b"ok\n")
                except OSError:
                    pass
                c.close()
            else:
                while True:
                    try:
                        data, addr = s.recvfrom(65535, socket.MSG_DONTWAIT)
                    except BlockingIOError:
                        break
                    out.write("udp %s %d\n" % (unmap(addr[0]), p))
                    if data.startswith(b"echo"):
                        try:
                            s.sendto(b"ok", addr)
                        except OSError:
                            pass


def unmap(a):
    return a[7:] if a.startswith("::ffff:") else a


def tcp(src, dst, port, timeout=1.0):
    s = socket.socket(fam(dst), socket.SOCK_STREAM)
    s.settimeout(float(timeout))
    try:
        s.bind((src, 0))
        s.connect((dst, int(port)))
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(16)
            if not chunk:
                break
            data += chunk
        return 0 if data == b"ok\n" else 1
    except OSError:
        return 1
    finally:
        s.close()


def udp(src, dst, port, timeout=1.0):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    s.settimeout(float(timeout))
    try:
        s.bind((src, 0))
        s.sendto(b"echo", (dst, int(port)))
        data, _ = s.recvfrom(64)
        return 0 if data == b"ok" else 1
    except OSError:
        return 1
    finally:
        s.close()


def udpsend(src, dst, port, n):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    s.bind((src, 0))
    for i in range(int(n)):
        s.sendto(b"data %d" % i, (dst, int(port)))
    s.close()
    return 0


def sniff(iface, ready, out):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE (root)
    s.bind((iface, 0))
    f = open(out, "ab", buffering=0)
    open(ready, "w").close()
    while True:
        data, addr = s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        ids = MARK.findall(data)
        if ids:
            f.write(b"".join(i + b"\n" for i in ids))


def pad(frame, size=60, fill=b"\0"):
    """The frame's bytes, padded to size (the Ethernet minimum, less the
    FCS) with fill repeated: what a real sender puts on the wire. The IP
    length fields stay as they were, so the padding is not IP payload."""
    data = bytes(frame)
    if len(data) >= size:
        return data
    return data + (fill * size)[: size - len(data)]


def load_frames(iface, script):
    import scapy.all as scapy  # slow: only the senders pay for it

    env = dict(vars(scapy))
    for k in ("FW_MAC", "PEER_MAC", "FW4", "PEER4", "FW6", "PEER6"):
        env[k] = os.environ.get(k, "")
    env["IFACE"] = iface
    env["M"] = lambda i: b"XDPFWT" + str(i).encode() + b";"
    env["PAD"] = pad
    with open(script) as fh:
        exec(compile(fh.read(), script, "exec"), env)
    frames = [bytes(f) for f in env["frames"]]
    sentinel = None
    if env["FW_MAC"]:
        sentinel = lambda i: bytes(
            scapy.Ether(dst=env["FW_MAC"], src=env["PEER_MAC"], type=0x88B5)
            / scapy.Raw(env["M"](i) + b"\0" * 32)
        )
    return scapy, frames, sentinel


def frame_id(f):
    m = MARK.search(f)
    return m.group(1).decode() if m else "-"


def send(iface, script, sentinel_id):
    scapy, frames, sentinel = load_frames(iface, script)
    s = scapy.conf.L2socket(iface=iface)
    try:
        for f in frames:
            s.send(f)
            print(frame_id(f), len(f))
        if sentinel_id != "-":
            s.send(sentinel(sentinel_id))
    finally:
        s.close()
    return 0


def stream(iface, script, stopfile, out):
    scapy, frames, _ = load_frames(iface, script)
    s = scapy.conf.L2socket(iface=iface)
    counts = {}
    deadline = time.monotonic() + 120
    n = 0
    try:
        while not os.path.exists(stopfile) and time.monotonic() < deadline:
            for f in frames:
                s.send(f)
                i = frame_id(f)
                counts[i] = counts.get(i, 0) + 1
            n += 1
            time.sleep(0.001)  # a few thousand frames/s: no ring or socket overflows
    finally:
        s.close()
    with open(out + ".tmp", "w") as fh:
        for i, c in sorted(counts.items()):
            fh.write("%s %d\n" % (i, c))
    os.rename(out + ".tmp", out)
    return 0


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def probe_frame(kind, src, dst, port, mark):
    six = ":" in dst
    fa = socket.AF_INET6 if six else socket.AF_INET
    s, d = socket.inet_pton(fa, src), socket.inet_pton(fa, dst)
    if kind == "tcp":
        proto, l4 = 6, struct.pack("!HHIIBBHHH", 40000, int(port), 1, 0, 5 << 4, 0x02, 64240, 0, 0)
    elif kind == "udp":
        proto, l4 = 17, struct.pack("!HHHH", 40000, int(port), 8 + len(mark), 0)
    else:
        proto = 58 if six else 1
        l4 = struct.pack("!BBHHH", 128 if six else 8, 0, 0, 1, 1)
    l4 += mark
    pseudo = s + d + (struct.pack("!IxxxB", len(l4), proto) if six else struct.pack("!xBH", proto, len(l4)))
    sum_at = {6: 16, 17: 6, 1: 2, 58: 2}[proto]
    c = csum(l4 if proto == 1 else pseudo + l4) or (0xFFFF if proto == 17 else 0)
    l4 = l4[:sum_at] + struct.pack("!H", c) + l4[sum_at + 2 :]
    if six:
        ip, etype = struct.pack("!IHBB", 6 << 28, len(l4), proto, 64) + s + d, 0x86DD
    else:
        ip = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), 0, 0x4000, 64, proto, 0) + s + d
        ip, etype = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:], 0x0800
    return eth(etype) + ip + l4


def eth(etype):
    mac = lambda m: bytes.fromhex(m.replace(":", ""))
    return mac(os.environ["FW_MAC"]) + mac(os.environ["PEER_MAC"]) + struct.pack("!H", etype)


def probe(iface, kind, src, dst, port, probe_id, sentinel_id):
    mark = lambda i: b"XDPFWT" + i.encode() + b";"
    frame = probe_frame(kind, src, dst, port, mark(probe_id))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    try:
        s.bind((iface, 0))
        s.send(frame)
        print(probe_id, len(frame))
        s.send(eth(0x88B5) + mark(sentinel_id) + b"\0" * 32)
    finally:
        s.close()
    return 0


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "serve":
        return serve(*args)
    if cmd == "tcp":
        return tcp(*args)
    if cmd == "udp":
        return udp(*args)
    if cmd == "udpsend":
        return udpsend(*args)
    if cmd == "sniff":
        return sniff(*args)
    if cmd == "send":
        return send(*args)
    if cmd == "stream":
        return stream(*args)
    if cmd == "probe":
        return probe(*args)
    print("helper.py: unknown command " + cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
