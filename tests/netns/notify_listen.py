#!/usr/bin/python3
"""A stand-in for systemd's notify socket: binds PATH and appends every
datagram it receives (one sd_notify message) to LOG, until killed."""
import socket
import sys

path, log = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
with open(log, "a", buffering=1) as out:
    out.write("LISTENING\n")
    while True:
        msg = sock.recv(4096).decode(errors="replace")
        out.write(msg.replace("\n", " | ") + "\n")
