#!/usr/bin/python3
"""Write a large synthetic EDDA snapshot directory for benchmarks.

    /usr/bin/python3 bench/gen_snapshot.py --docs N --out DIR [--seed S] [--pretty]

About N `_meta` envelopes in total (exactly N unless N is tiny), spread over
aws.securityGroups 15%, view.instances 50%, aws.loadBalancers 10%, aws.images 10% and
aws.iamUsers 15%. One resource in ten has two revisions (most of the changes inside the
5-day window before captured_at), about 5% of resources are created inside the window,
and a few percent of security groups, ELBs and own images are "bad" (open to
the world, odd ports, public). Instances reference the generated security groups and
images, ELBs the generated instances.

Each collection file is streamed element by element: memory stays flat whatever N is.
Output depends only on --docs and --seed. Shapes come from bench/edda_shapes.py, shared
with examples/make_snapshot.py. Stdlib only.
"""

import argparse
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import edda_shapes as E  # noqa: E402
from edda_shapes import hexid, ip_permission as P, group_pair  # noqa: E402

CAPTURED = E.ms("2025-12-01T00:00:00Z")
SINCE = CAPTURED - 5 * E.DAY_MS
EDDA_START = CAPTURED - 540 * E.DAY_MS
MTIME = CAPTURED - 47000
VPC = hexid("vpc", "bench-prod")
AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
SUBNETS = {az: hexid("subnet", "bench-" + az) for az in AZS}
WORLD = ["0.0.0.0/0"]

SHARES = [  # collection, share of documents
    ("aws.securityGroups", 0.15),
    ("view.instances", 0.50),
    ("aws.loadBalancers", 0.10),
    ("aws.images", 0.10),
    ("aws.iamUsers", 0.15),
]


def two_revisions(i):
    """Exactly one resource in ten (by index) has two revisions."""
    return i % 10 == 7


def resource_count(docs):
    """How many resources a collection with `docs` documents holds."""
    n = (docs // 11) * 10
    left = docs - (docs // 11) * 11
    while left > 0:
        left -= 2 if two_revisions(n) and left >= 2 else 1
        n += 1
    return n


class Clock:
    """Creation and change times for one resource, drawn from the collection's rng."""

    def __init__(self, rng, two):
        if rng.random() < 0.05:  # new inside the window
            self.created = rng.randrange(SINCE + 3600000, CAPTURED - 7200000)
        else:
            self.created = CAPTURED - rng.randrange(6 * E.DAY_MS, 900 * E.DAY_MS)
        self.first = max(self.created + rng.randrange(20000, 120000), EDDA_START + rng.randrange(0, 600000))
        self.changed = None
        if two:  # 70% inside the window, the rest before it; both ranges are never empty
            if self.first >= SINCE or rng.random() < 0.7:
                lo, hi = max(self.first, SINCE) + 60000, CAPTURED - 600000
            else:
                lo, hi = self.first + 60000, SINCE - 60000
            self.changed = rng.randrange(lo, hi)

    def revisions(self, old, new):
        """[(stime, doc)] for history(); `new` is only built when there is a change."""
        if self.changed is None:
            return [(self.first, old())]
        return [(self.first, old()), (self.changed, new())]


# ---------------------------------------------------------------------------
# pools: ids that other collections reference, computable from an index alone

def sg_id(i):
    return hexid("sg", "bench-%d" % i)


def sg_name(i):
    return "%s-%d" % (("web", "app", "db", "cache", "batch", "ops", "elb", "svc")[i % 8], i)


def ami_id(i):
    return hexid("ami", "bench-%d" % i)


def instance_id(i):
    return hexid("i", "bench-%d" % i)


def private_ip(i):
    return "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, (i & 255) or 1)


def public_ip(i):
    return "198.%d.%d.%d" % (18 + (i >> 16 & 1), i >> 8 & 255, (i & 255) or 1)


# ---------------------------------------------------------------------------
# documents

INTERNAL_PORTS = [22, 80, 443, 3306, 5432, 6379, 7001, 8080, 9100, 9200]
BAD_RULES = [("tcp", 23, 23), ("tcp", 3389, 3389), ("tcp", 8000, 9000), ("-1", None, None),
             ("tcp", 22, 22), ("udp", 0, 65535)]


def sg_rule(rng, n_sg):
    r = rng.random()
    if r < 0.015:
        proto, lo, hi = rng.choice(BAD_RULES)
        if rng.random() < 0.2:
            return P(proto, lo, hi, cidrs6=["::/0"])
        return P(proto, lo, hi, WORLD)
    port = rng.choice(INTERNAL_PORTS)
    if r < 0.12:
        return P("tcp", port, port, WORLD if port in (80, 443) else ["10.0.0.0/8"])
    if r < 0.15:
        return P("icmp", -1, -1, WORLD)
    if r < 0.55:
        return P("tcp", port, port, rng.sample(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                "203.0.113.0/24"], rng.randint(1, 2)))
    return P("tcp", port, port, pairs=[group_pair(sg_id(rng.randrange(n_sg)), VPC)])


def security_groups(rng, count, pools):
    for i in range(count):
        clock = Clock(rng, two_revisions(i))
        gid, name = sg_id(i), sg_name(i)
        rules = [sg_rule(rng, pools["sg"]) for _ in range(rng.randint(0, 5))]
        extra = sg_rule(rng, pools["sg"])
        doc = lambda rs: E.security_group(gid, name, "bench group %d" % i, VPC, rs,  # noqa: E731
                                          tags={"Name": name} if i % 3 == 0 else None)
        yield E.history(gid, clock.revisions(lambda: doc(rules), lambda: doc(rules + [extra])), None, MTIME)


def instances(rng, count, pools):
    n_services = max(10, count // 20)
    for i in range(count):
        clock = Clock(rng, two_revisions(i))
        iid = instance_id(i)
        az = AZS[i % len(AZS)]
        svc = "svc-%04d" % rng.randrange(n_services)
        tags = {"Name": svc}
        if rng.random() < 0.95:
            tags["service_name"] = svc
        if rng.random() < 0.6:
            tags["aws:autoscaling:groupName"] = "%s-v%03d" % (svc, rng.randrange(1, 50))
        args = dict(
            instance_id=iid, image_id=ami_id(rng.randrange(pools["ami"])), launch_time=clock.created,
            az=az, subnet_id=SUBNETS[az], vpc_id=VPC, private_ip=private_ip(i),
            security_groups=[(sg_id(g), sg_name(g)) for g in
                             sorted({rng.randrange(pools["sg"]) for _ in range(rng.randint(1, 3))})],
            tags=tags, public_ip=public_ip(i) if rng.random() < 0.3 else None,
            instance_type=rng.choice(["t3.medium", "m5.large", "c5.xlarge", "r5.large"]),
            profile=None if rng.random() < 0.1 else svc, launch_index=0)
        change = rng.random()

        def later():
            if change < 0.5:
                return E.instance(**dict(args, state="stopped", state_time=clock.changed - 30000))
            return E.instance(**dict(args, tags=dict(tags, team="team-%d" % (i % 17))))
        yield E.history(iid, clock.revisions(lambda: E.instance(**args), later), clock.created, MTIME)


def load_balancers(rng, count, pools):
    for i in range(count):
        clock = Clock(rng, two_revisions(i))
        name = "bench-elb-%d" % i
        scheme = "internet-facing" if rng.random() < 0.6 else "internal"
        ports = [(80, 8080)] + ([(443, 8080)] if rng.random() < 0.7 else [])
        if rng.random() < 0.05:
            ports.append(rng.choice([(8080, 8080), (8443, 8443), (9000, 9000), (22, 22)]))
        listeners = [E.listener(p, q) if p != 443 else E.https_listener(p, q, name) for p, q in ports]
        inst = [instance_id(rng.randrange(pools["instance"])) for _ in range(rng.randint(0, 6))]
        more = inst + [instance_id(rng.randrange(pools["instance"]))]
        doc = lambda ids: E.load_balancer(name, clock.created, listeners, ids, scheme, vpc_id=VPC,  # noqa: E731
                                          subnets=list(SUBNETS.values())[:2], azs=AZS[:2],
                                          security_groups=[sg_id(i % pools["sg"])],
                                          tags={"service_name": "svc-%04d" % (i % 997)})
        yield E.history(name, clock.revisions(lambda: doc(inst), lambda: doc(more)), clock.created, MTIME)


def images(rng, count, pools):
    for i in range(count):
        clock = Clock(rng, two_revisions(i))
        aid = ami_id(i)
        created = E.iso(clock.created)
        if rng.random() < 0.6:
            name = "svc-%04d-%s" % (i % 997, created[:10])
            public = rng.random() < 0.02
            goes_public = rng.random() < 0.25
            doc = lambda pub, tags: E.image(aid, name, created, public=pub, tags=tags)  # noqa: E731
            tags = {"Name": name, "built_by": "packer"}
            yield E.history(aid, clock.revisions(
                lambda: doc(public, tags),
                lambda: doc(True, tags) if goes_public else doc(public, dict(tags, release="stable"))), None, MTIME)
        else:
            owner, alias, name = rng.choice([
                ("137112412989", "amazon", "amzn2-ami-hvm-2.0.%d-x86_64-gp2" % i),
                ("801119661308", "amazon", "Windows_Server-2022-English-Full-Base-%d" % i),
                ("099720109477", None, "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-%d" % i)])
            doc = lambda desc: E.image(aid, name, created, owner=owner, alias=alias, public=True,  # noqa: E731
                                       description=desc)
            yield E.history(aid, clock.revisions(lambda: doc(None), lambda: doc("deprecated")), None, MTIME)


GROUPS = ["admins", "developers", "readonly", "deployers", "billing-ops", "support", "data", "oncall"] + \
         ["team-%d" % k for k in range(12)]


def iam_users(rng, count, pools):
    for i in range(count):
        clock = Clock(rng, two_revisions(i))
        name = ("user%d" % i) if i % 9 else ("ci-%dDeployment" % i)
        groups = rng.sample(GROUPS[1:], rng.randint(0, 3))
        keys = [E.access_key(name, str(k), clock.created + k * 86400000, "Active" if k == 0 or rng.random() < 0.5
                             else "Inactive") for k in range(rng.randint(0, 2))]
        used = None if rng.random() < 0.3 else clock.first - rng.randrange(0, 86400000)
        added = groups + [rng.choice(GROUPS)]
        doc = lambda gs: E.iam_user(name, clock.created, gs, keys, password_last_used=used)  # noqa: E731
        yield E.history(name, clock.revisions(lambda: doc(groups), lambda: doc(added)), clock.created, MTIME)


BUILDERS = {
    "aws.securityGroups": security_groups,
    "view.instances": instances,
    "aws.loadBalancers": load_balancers,
    "aws.images": images,
    "aws.iamUsers": iam_users,
}


# ---------------------------------------------------------------------------

def stream_collection(path, resources, dumps):
    """Write a JSON array one envelope at a time. -> (documents, bytes)."""
    n = 0
    with open(path, "w", buffering=1 << 20) as f:
        f.write("[")
        for envelopes in resources:
            for e in envelopes:
                f.write(",\n" if n else "\n")
                f.write(dumps(e))
                n += 1
        f.write("\n]\n")
    return n, os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--docs", type=int, required=True, help="total number of documents (envelopes)")
    ap.add_argument("--out", required=True, help="snapshot directory to write")
    ap.add_argument("--seed", default="1", help="seed for the content (default 1)")
    ap.add_argument("--pretty", action="store_true", help="indent like the bundled snapshot (slower, bigger)")
    args = ap.parse_args()
    if args.docs < len(SHARES):
        ap.error("--docs must be at least %d" % len(SHARES))

    docs = {c: int(args.docs * s) for c, s in SHARES}
    docs["view.instances"] += args.docs - sum(docs.values())
    count = {c: resource_count(d) for c, d in docs.items()}
    pools = {"sg": max(1, count["aws.securityGroups"]), "ami": max(1, count["aws.images"]),
             "instance": max(1, count["view.instances"])}
    dumps = E.dumps_pretty if args.pretty else E.dumps_compact

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        f.write(E.dumps_pretty({"captured_at": CAPTURED, "edda": "http://edda.example.internal:8080/edda",
                                "since": SINCE}) + "\n")
    total_n = total_b = 0
    t0 = time.monotonic()
    for coll, _ in SHARES:
        t = time.monotonic()
        rng = random.Random("%s:%s" % (args.seed, coll))
        n, b = stream_collection(os.path.join(args.out, coll + ".json"),
                                 BUILDERS[coll](rng, count[coll], pools), dumps)
        total_n += n
        total_b += b
        print("%-22s %9d documents %8d resources %13d bytes %7.1fs"
              % (coll, n, count[coll], b, time.monotonic() - t), flush=True)
    print("%-22s %9d documents %8s           %13d bytes %7.1fs"
          % ("total", total_n, "", total_b, time.monotonic() - t0))


if __name__ == "__main__":
    main()
