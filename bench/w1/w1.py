"""W1 in plain Python (json module): one line per violating rule, "groupId protocol fromPort toPort"."""
import json
import sys


def fmt(v):
    return "null" if v is None else str(v)


for g in json.load(open(sys.argv[1])):
    for p in g["ipPermissions"]:
        if p["ipProtocol"] == "icmp" or "0.0.0.0/0" not in p["ipRanges"]:
            continue
        if p["fromPort"] != p["toPort"] or p["fromPort"] not in (80, 443):
            print(g["groupId"], p["ipProtocol"], fmt(p["fromPort"]), fmt(p["toPort"]))
