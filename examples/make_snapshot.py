#!/usr/bin/python3
"""Write the bundled EDDA snapshot: examples/snapshot/ and examples/plain/.

    /usr/bin/python3 examples/make_snapshot.py [--out DIR] [--plain DIR]

Stdlib only and deterministic (no randomness, no clock): running it twice gives the
same bytes. The scenario, and what each planted problem should make the shipped
policies say, is in examples/README.md. Document shapes come from
bench/edda_shapes.py, shared with the benchmark generator.
"""

import argparse
import base64
import gzip
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))

import edda_shapes as E  # noqa: E402
from edda_shapes import ms, hexid, ip_permission as P, group_pair  # noqa: E402

EDDA_URL = "http://edda.example.internal:8080/edda"
CAPTURED = ms("2025-12-01T00:00:00Z")          # 1764547200000
SINCE = CAPTURED - 5 * E.DAY_MS                # 1764115200000, 2025-11-26T00:00:00Z
EDDA_START = ms("2025-06-02T07:41:13.520Z")    # EDDA's first crawl of this account
WORLD = ["0.0.0.0/0"]

# Last crawl of each collection: the mtime of every current record.
MTIME = {
    "aws.securityGroups": ms("2025-11-30T23:58:41.207Z"),
    "view.instances": ms("2025-11-30T23:59:02.615Z"),
    "aws.instances": ms("2025-11-30T23:59:02.615Z"),
    "aws.images": ms("2025-11-30T23:55:10.044Z"),
    "aws.loadBalancers": ms("2025-11-30T23:58:13.870Z"),
    "aws.iamUsers": ms("2025-11-30T23:50:00.391Z"),
    "aws.iamGroups": ms("2025-11-30T23:50:00.391Z"),
    "aws.iamRoles": ms("2025-11-30T23:50:00.391Z"),
    "aws.launchConfigurations": ms("2025-11-30T23:57:33.128Z"),
    "aws.vpcs": ms("2025-11-30T23:56:47.962Z"),
    "aws.iamPolicies": ms("2025-11-30T23:50:00.391Z"),
    "aws.databases": ms("2025-11-30T23:57:50.331Z"),
    "aws.volumes": ms("2025-11-30T23:57:12.580Z"),
    "aws.snapshots": ms("2025-11-30T23:57:12.580Z"),
    "aws.loadBalancersV2": ms("2025-11-30T23:58:13.870Z"),
    "aws.autoScalingGroups": ms("2025-11-30T23:57:33.128Z"),
    "aws.buckets": ms("2025-11-30T23:51:12.406Z"),
    "aws.launchTemplates": ms("2025-11-30T23:57:33.128Z"),
    "aws.dbEngineVersions": ms("2025-11-30T23:57:50.331Z"),
}


def seen(t, delay_ms=52310):
    """When EDDA first saw a resource created at t: the next crawl, or its first crawl."""
    return max(t + delay_ms, EDDA_START)


# ---------------------------------------------------------------------------
# network

VPC_PROD = hexid("vpc", "prod")
VPC_DEFAULT = hexid("vpc", "default")

SUBNETS = {  # key -> (subnetId, vpcId, az, first three octets, first host)
    "priv-a": (hexid("subnet", "priv-a"), VPC_PROD, "us-east-1a", "10.0.1", 11),
    "priv-b": (hexid("subnet", "priv-b"), VPC_PROD, "us-east-1b", "10.0.2", 11),
    "priv-c": (hexid("subnet", "priv-c"), VPC_PROD, "us-east-1c", "10.0.3", 11),
    "pub-a": (hexid("subnet", "pub-a"), VPC_PROD, "us-east-1a", "10.0.101", 11),
    "pub-b": (hexid("subnet", "pub-b"), VPC_PROD, "us-east-1b", "10.0.102", 11),
    "default-a": (hexid("subnet", "default-a"), VPC_DEFAULT, "us-east-1a", "172.31.16", 20),
}


def vpcs():
    return {
        VPC_PROD: E.history(VPC_PROD, [(EDDA_START, E.vpc(VPC_PROD, "10.0.0.0/16", tags={"Name": "prod"},
                                                          ipv6_cidr="2600:1f18:4a3:6b00::/56"))],
                            None, MTIME["aws.vpcs"]),
        VPC_DEFAULT: E.history(VPC_DEFAULT, [(EDDA_START, E.vpc(VPC_DEFAULT, "172.31.0.0/16", is_default=True))],
                               None, MTIME["aws.vpcs"]),
    }


# ---------------------------------------------------------------------------
# security groups

SG = {name: hexid("sg", name) for name in (
    "default", "default-staging", "web", "elb-public", "app-internal", "db", "cache", "monitoring",
    "office-only", "bastion-ssh", "legacy-telnet", "debug-all", "rdp-v6", "billing", "batch",
    # lib-sg (policies/ec2)
    "launch-wizard-1", "partner-sprawl")}


def sg_revisions():
    """groupName -> (description, vpcId, [(stime, ingress rules)], tags), oldest first."""
    pair = lambda name: group_pair(SG[name], VPC_PROD)  # noqa: E731
    office = ["203.0.113.0/24"]
    return {
        "default": ("default VPC security group", VPC_PROD, [
            (EDDA_START, [P("-1", pairs=[pair("default")])])], {}),
        "default-staging": ("default VPC security group", VPC_DEFAULT, [
            (EDDA_START, [P("-1", pairs=[group_pair(SG["default-staging"], VPC_DEFAULT)])])], {}),
        # planted 4: a tcp range to the world appears in the window, next to 443 and icmp
        "web": ("web frontends", VPC_PROD, [
            (EDDA_START, [P("tcp", 443, 443, WORLD), P("icmp", -1, -1, WORLD),
                          P("tcp", 80, 80, pairs=[pair("elb-public")])]),
            (ms("2025-11-27T09:41:07.215Z"), [
                P("tcp", 443, 443, WORLD), P("icmp", -1, -1, WORLD),
                P("tcp", 80, 80, pairs=[pair("elb-public")]), P("tcp", 8000, 9000, WORLD)]),
        ], {"Name": "web"}),
        "elb-public": ("public load balancers", VPC_PROD, [
            (EDDA_START, [P("tcp", 80, 80, WORLD), P("tcp", 443, 443, WORLD)])], {}),
        # planted 6: changed in the window, group references only, no ranges
        "app-internal": ("app tier, reachable from web", VPC_PROD, [
            (EDDA_START, [P("tcp", 8080, 8080, pairs=[pair("web")])]),
            (ms("2025-11-28T11:20:44.608Z"), [
                P("tcp", 8080, 8080, pairs=[pair("billing"), pair("web")]),
                P("tcp", 8443, 8443, pairs=[pair("elb-public")])]),
        ], {}),
        "db": ("postgres", VPC_PROD, [
            (EDDA_START, [P("tcp", 5432, 5432, pairs=[pair("app-internal")])])], {}),
        "cache": ("redis", VPC_PROD, [
            (EDDA_START, [P("tcp", 6379, 6379, pairs=[pair("app-internal")])])], {}),
        "monitoring": ("prometheus scrapes", VPC_PROD, [
            (EDDA_START, [P("tcp", 9100, 9100, ["10.0.0.0/8"])]),
            (ms("2025-10-01T10:15:02.447Z"), [P("tcp", 9100, 9100, ["10.0.0.0/8"]),
                                               P("tcp", 9187, 9187, ["10.0.0.0/8"])]),
        ], {}),
        # planted 5: ssh from the office only; fine once 10/8 and 203.0.113/24 are whitelisted
        "office-only": ("ssh from the office", VPC_PROD, [
            (EDDA_START, [P("tcp", 22, 22, ["10.0.0.0/8"])]),
            (ms("2025-11-26T15:05:19.930Z"), [
                P("tcp", 22, 22, ["10.0.0.0/8"] + office, descriptions={"203.0.113.0/24": "office"})]),
        ], {}),
        # planted 7: ssh to the world, but the change happened before the window
        "bastion-ssh": ("bastion", VPC_PROD, [
            (EDDA_START, [P("tcp", 22, 22, office)]),
            (ms("2025-11-20T08:30:12.004Z"), [P("tcp", 22, 22, WORLD)]),
        ], {"Name": "bastion"}),
        # planted 1: telnet opened to the world in the window (was 10/8 before)
        "legacy-telnet": ("legacy gateway", VPC_PROD, [
            (EDDA_START, [P("tcp", 22, 22, ["10.0.0.0/8"])]),
            (ms("2025-10-01T09:02:55.118Z"), [P("tcp", 22, 22, ["10.0.0.0/8"]),
                                               P("tcp", 23, 23, ["10.0.0.0/8"])]),
            (ms("2025-11-27T14:12:31.418Z"), [P("tcp", 22, 22, ["10.0.0.0/8"]),
                                               P("tcp", 23, 23, WORLD)]),
        ], {}),
        # planted 2: a new group, all traffic from the world
        "debug-all": ("temporary debugging", VPC_PROD, [
            (ms("2025-11-29T10:02:48.771Z"), [P("-1", cidrs=WORLD)])], {"owner": "jdoe"}),
        # planted 3: rdp moved from 10/8 to the IPv6 world (ipRanges empty)
        "rdp-v6": ("windows jump host", VPC_PROD, [
            (ms("2025-09-02T11:47:30.052Z"), [P("tcp", 3389, 3389, ["10.0.0.0/8"])]),
            (ms("2025-11-28T20:47:16.333Z"), [P("tcp", 3389, 3389, cidrs6=["::/0"])]),
        ], {}),
        # plain: new in the window, internal only
        "billing": ("billing-v2 service", VPC_PROD, [
            (ms("2025-11-27T16:00:08.845Z"), [P("tcp", 8443, 8443, ["10.0.0.0/8"])])], {"service_name": "billing-v2"}),
        # plain: no ingress at all, egress restricted
        "batch": ("batch workers, no ingress", VPC_PROD, [(ms("2025-10-05T22:10:37.500Z"), [])], {}),
        # lib-sg (policies/ec2), unchanged since before the window and used by nothing.
        # Both have no inbound rules (so the ingress-reading policies and docs/authoring.md's
        # outputs do not change); their egress is set in security_groups().
        # Made by the console's launch wizard; its ssh rule was removed, its egress goes to a
        # public /22 (sg-launch-wizard, sg-wide-open-public-ipv4, sg-unused)
        "launch-wizard-1": ("launch-wizard-1 created 2025-08-14T09:20:11.000+00:00", VPC_PROD, [
            (ms("2025-08-14T09:20:11.402Z"), [])], {}),
        # one outbound rule per partner feed port: 51 egress rules (sg-too-many-rules, sg-unused)
        "partner-sprawl": ("partner feed ports", VPC_PROD, [(ms("2025-07-03T13:44:20.918Z"), [])], {}),
    }


def security_groups():
    out = {}
    for name, (desc, vpc_id, revs, tags) in sg_revisions().items():
        egress = [P("tcp", 443, 443, WORLD)] if name == "batch" else None
        if name == "launch-wizard-1":  # lib-sg
            egress = [P("tcp", 443, 443, ["198.51.100.0/22"])]
        if name == "partner-sprawl":  # lib-sg
            egress = [P("tcp", p, p, ["10.0.0.0/16"]) for p in range(10001, 10052)]
        docs = [(t, E.security_group(SG[name], name, desc, vpc_id, rules, egress, tags)) for t, rules in revs]
        out[SG[name]] = E.history(SG[name], docs, None, MTIME["aws.securityGroups"])
    return out


# ---------------------------------------------------------------------------
# images

AMI = {k: hexid("ami", k) for k in (
    "web", "api", "legacy-gw", "postgres", "redis", "billing-v2", "batch-old", "batch-new",
    "base", "amzn2", "windows", "ubuntu")}


def images():
    def ours(key, name, created, desc, **kw):
        return E.image(AMI[key], name, created, description=desc, tags={"Name": name, "built_by": "packer"}, **kw)

    defs = [  # key, first seen, [(stime, doc)]
        ("web", ms("2025-09-08T17:10:22.081Z"), ours("web", "web-2025-09-08", "2025-09-08T17:02:11.000Z", "web frontend")),
        ("api", ms("2025-08-01T09:41:50.513Z"), ours("api", "api-2025-08-01", "2025-08-01T09:30:00.000Z", "api service")),
        ("legacy-gw", EDDA_START, ours("legacy-gw", "legacy-gw-2025-03-01", "2025-03-01T12:00:41.000Z", "legacy gateway")),
        ("postgres", ms("2025-06-09T15:20:31.902Z"), ours("postgres", "postgres-2025-06-09", "2025-06-09T15:11:05.000Z",
                                                          "postgres 16", volume_size=50)),
        ("redis", ms("2025-06-30T08:02:12.330Z"), ours("redis", "redis-2025-06-30", "2025-06-30T07:55:19.000Z", "redis 7")),
        ("billing-v2", ms("2025-11-27T13:40:05.617Z"), ours("billing-v2", "billing-v2-2025-11-27",
                                                            "2025-11-27T13:31:09.000Z", "billing service v2")),
        ("batch-old", ms("2025-10-01T06:12:00.004Z"), ours("batch-old", "batch-2025-10-01", "2025-10-01T06:03:27.000Z",
                                                           "batch worker")),
        ("batch-new", ms("2025-11-28T20:52:33.479Z"), ours("batch-new", "batch-2025-11-28", "2025-11-28T20:44:51.000Z",
                                                           "batch worker")),
        ("amzn2", EDDA_START, E.image(AMI["amzn2"], "amzn2-ami-hvm-2.0.20250508.0-x86_64-gp2", "2025-05-08T22:13:41.000Z",
                                      owner="137112412989", alias="amazon", public=True,
                                      description="Amazon Linux 2 AMI 2.0.20250508.0 x86_64 HVM gp2")),
        ("windows", ms("2025-08-14T02:31:44.218Z"), E.image(
            AMI["windows"], "Windows_Server-2022-English-Full-Base-2025.08.13", "2025-08-13T21:04:55.000Z",
            owner="801119661308", alias="amazon", public=True, platform="windows", volume_size=30,
            description="Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon")),
        ("ubuntu", ms("2025-10-16T04:17:09.925Z"), E.image(
            AMI["ubuntu"], "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20251015", "2025-10-15T19:30:02.000Z",
            owner="099720109477", public=True,
            description="Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-10-15")),
    ]
    out = {}
    for key, first, doc in defs:
        out[AMI[key]] = E.history(AMI[key], [(first, doc)], None, MTIME["aws.images"])
    # planted: one of our images becomes public inside the window
    base = lambda public: ours("base", "base-ubuntu-2025-10-20", "2025-10-20T10:05:37.000Z",  # noqa: E731
                               "hardened ubuntu base", public=public)
    out[AMI["base"]] = E.history(AMI["base"], [(ms("2025-10-20T10:12:58.340Z"), base(False)),
                                               (ms("2025-11-28T14:33:27.105Z"), base(True))],
                                 None, MTIME["aws.images"])
    return out


# ---------------------------------------------------------------------------
# instances and reservations

WEB_TAGS = {"service_name": "web", "Name": "web-prod", "aws:autoscaling:groupName": "web-prod-v042"}
API_TAGS = {"service_name": "api", "Name": "api-prod", "aws:autoscaling:groupName": "api-prod-v017"}
BILLING_TAGS = {"service_name": "billing-v2", "Name": "billing-v2", "aws:autoscaling:groupName": "billing-v2-v001"}
BATCH_TAGS = {"service_name": "batch", "Name": "batch-worker"}

# One entry per reservation (one RunInstances call: same launch time, AMI and subnet).
# public: public IPs per instance (None: private only). names: per-instance Name tag.
RESERVATIONS = [
    dict(key="web-old", n=2, launch="2025-09-10T13:22:05Z", ami="web", subnet="priv-a", type="m5.large",
         sgs=["web", "monitoring"], tags=WEB_TAGS, profile="web", asg=True),
    dict(key="web-new", n=2, launch="2025-11-27T09:55:40Z", ami="web", subnet="priv-b", type="m5.large",
         sgs=["web", "monitoring"], tags=WEB_TAGS, profile="web", asg=True),
    dict(key="api", n=3, launch="2025-08-04T10:11:12Z", ami="api", subnet="priv-c", type="c5.large",
         sgs=["app-internal", "monitoring"], tags=API_TAGS, profile="api", asg=True),
    dict(key="api-scaleout", n=1, launch="2025-08-21T19:40:03Z", ami="api", subnet="priv-b", type="c5.large",
         sgs=["app-internal", "monitoring"], tags=API_TAGS, profile="api", asg=True),
    dict(key="legacy-gw", n=2, launch="2025-03-14T08:00:00Z", ami="legacy-gw", subnet="pub-a", type="m4.large",
         sgs=["legacy-telnet"], tags={"service_name": "legacy-gw"}, names=["legacy-gw-1", "legacy-gw-2"],
         public=["198.51.100.23", "198.51.100.24"], key_name="legacy"),
    dict(key="postgres", n=2, launch="2025-06-10T16:45:00Z", ami="postgres", subnet="priv-a", type="r5.xlarge",
         sgs=["db", "monitoring"], tags={"service_name": "postgres"}, names=["postgres-1", "postgres-2"],
         profile="db"),
    dict(key="redis", n=1, launch="2025-07-01T11:30:20Z", ami="redis", subnet="priv-b", type="r5.large",
         sgs=["cache", "monitoring"], tags={"service_name": "redis", "Name": "redis-prod"}),
    dict(key="bastion", n=1, launch="2025-05-20T07:00:00Z", ami="amzn2", subnet="pub-a", type="t3.micro",
         sgs=["bastion-ssh", "office-only"], tags={"Name": "bastion"}, public=["198.51.100.10"]),
    dict(key="win-jump", n=1, launch="2025-09-02T12:00:00Z", ami="windows", subnet="pub-b", type="t3.large",
         sgs=["rdp-v6"], tags={"Name": "win-jump"}, public=["198.51.100.40"], platform="windows",
         ipv6=["2600:1f18:4a3:6b02::1e"], key_name="win-2025"),
    dict(key="billing-v2", n=3, launch="2025-11-28T11:05:31Z", ami="billing-v2", subnet="pub-a", type="m5.large",
         sgs=["billing", "app-internal"], tags=BILLING_TAGS, profile="billing", asg=True,
         public=["198.51.100.61", "198.51.100.62", "198.51.100.63"]),
    dict(key="batch-old", n=2, launch="2025-10-06T03:00:00Z", ami="batch-old", subnet="priv-c", type="c5.xlarge",
         sgs=["batch"], tags=BATCH_TAGS, profile="batch", spot=True),
    dict(key="batch-new", n=1, launch="2025-11-29T18:30:00Z", ami="batch-new", subnet="priv-c", type="c5.xlarge",
         sgs=["batch"], tags=BATCH_TAGS, profile="batch", spot=True),
    dict(key="debug", n=1, launch="2025-11-29T10:07:55Z", ami="amzn2", subnet="pub-a", type="t3.small",
         sgs=["debug-all"], tags={"Name": "debug-jdoe", "owner": "jdoe"}, public=["198.51.100.77"],
         key_name="jdoe"),
    dict(key="staging", n=1, launch="2025-11-10T14:20:00Z", ami="web", subnet="default-a", type="t3.medium",
         sgs=["default-staging"], tags={"service_name": "web-staging", "Name": "web-staging"},
         public=["198.51.100.90"], profile="web", key_name="staging"),
    dict(key="testapp", n=1, launch="2025-11-30T08:12:00Z", ami="web", subnet="priv-b", type="t3.small",
         sgs=["app-internal"], tags={"service_name": "testapp", "Name": "testapp"}),
    # lib-instances (policies/ec2/instance-*): a report box stopped since 2025-10-03 (see
    # INSTANCE_EVENTS), an old paravirtual m1 instance, and a squid proxy with a second
    # interface in a public subnet. All private, in groups no security-group policy reports,
    # launched before the window, with detailed monitoring on.
    dict(key="reports", n=1, launch="2025-08-12T09:30:00Z", ami="batch-old", subnet="priv-c", type="r5.large",
         sgs=["batch"], tags={"service_name": "reports", "Name": "reports-adhoc"}, profile="batch",
         monitoring="enabled"),
    dict(key="legacy-pv", n=1, launch="2024-11-03T16:05:00Z", ami="legacy-gw", subnet="priv-a", type="m1.medium",
         sgs=["monitoring"], tags={"service_name": "legacy-cron", "Name": "legacy-cron"}, profile="batch",
         monitoring="enabled", virtualization="paravirtual"),
    dict(key="proxy", n=1, launch="2025-07-15T12:00:00Z", ami="amzn2", subnet="priv-b", type="t3.medium",
         sgs=["monitoring"], tags={"service_name": "egress-proxy", "Name": "squid"}, profile="batch",
         monitoring="enabled", extra_enis=["pub-b"]),
]

# Later revisions of single instances: (reservation key, index) -> [(stime, changes)].
# "vanish" ends the last revision (AWS stopped returning the instance).
INSTANCE_EVENTS = {
    ("bastion", 0): [(ms("2025-10-15T09:12:44.310Z"), {"tags": {"Name": "bastion", "owner": "secops"}})],
    ("api-scaleout", 0): [(ms("2025-11-27T10:00:41.518Z"), {"state": "terminated",
                                                   "state_time": ms("2025-11-27T09:59:58Z")}),
                 (ms("2025-11-27T11:02:13.902Z"), "vanish")],
    # lib-instances: stopped by hand on 2025-10-03, 58 days before the end of the window
    ("reports", 0): [(ms("2025-10-03T14:22:10.118Z"), {"state": "stopped",
                                                      "state_time": ms("2025-10-03T14:21:07Z")})],
}


def instance_id(key, k):
    return hexid("i", "%s-%d" % (key, k))


def instances():
    """-> (view.instances envelopes by id, aws.instances envelopes by id, ids by reservation key)."""
    view, resv, ids = {}, {}, {}
    next_host = {k: v[4] for k, v in SUBNETS.items()}
    for r in RESERVATIONS:
        key = r["key"]
        subnet_id, vpc_id, az, net, _ = SUBNETS[r["subnet"]]
        launch = ms(r["launch"])
        first = seen(launch)
        timelines = []
        ids[key] = []
        for k in range(r["n"]):
            iid = instance_id(key, k)
            ids[key].append(iid)
            host = next_host[r["subnet"]]
            next_host[r["subnet"]] += 7
            tags = dict(r["tags"])
            if "names" in r:
                tags["Name"] = r["names"][k]
            args = dict(
                instance_id=iid, image_id=AMI[r["ami"]], launch_time=launch, az=az, subnet_id=subnet_id,
                vpc_id=vpc_id, private_ip="%s.%d" % (net, host),
                security_groups=[(SG[g], g) for g in r["sgs"]], tags=tags,
                public_ip=(r.get("public") or [None] * r["n"])[k], instance_type=r["type"],
                key_name=r.get("key_name", "prod-2025"), profile=r.get("profile"),
                platform=r.get("platform"), ipv6=r.get("ipv6", ()), launch_index=k,
                lifecycle="spot" if r.get("spot") else None,
                spot_request=("sir-" + hexid("x", iid)[3:11]) if r.get("spot") else None,
                client_token=("%s_%s" % (uuid_token(key), k)) if r.get("asg") else "",
                # detailed monitoring: on for the auto-scaled instances, as their launch
                # configurations' instanceMonitoring says
                monitoring="enabled" if r.get("asg") else r.get("monitoring", "disabled"),
                virtualization=r.get("virtualization", "hvm"),
                extra_enis=[(SUBNETS[e][0], SUBNETS[e][1], "%s.%d" % (SUBNETS[e][3], 200 + k))
                            for e in r.get("extra_enis", ())])
            revs = [(first, E.instance(**args))]
            end = None
            for t, change in INSTANCE_EVENTS.get((key, k), []):
                if change == "vanish":
                    end = t
                    break
                args.update(change)
                revs.append((t, E.instance(**args)))
            view[iid] = E.history(iid, revs, launch, MTIME["view.instances"], end)
            timelines.append([(e["stime"], e["ltime"], e["data"]) for e in view[iid]])
        rid = hexid("r", key)
        resv[rid] = E.reservation_history(rid, timelines, MTIME["aws.instances"],
                                          requester=E.ASG_REQUESTER if r.get("asg") else None)
    return view, resv, ids


def uuid_token(key):
    return E.uuid_like("token:" + key)[:23]


# ---------------------------------------------------------------------------
# load balancers

def load_balancers(ids):
    pub = [SUBNETS["pub-a"][0], SUBNETS["pub-b"][0]]
    priv = [SUBNETS["priv-a"][0], SUBNETS["priv-b"][0], SUBNETS["priv-c"][0]]
    azs = ["us-east-1a", "us-east-1b"]
    azs3 = azs + ["us-east-1c"]
    L, HTTPS = E.listener, E.https_listener
    lbs = {}

    def add(name, created, revs, end=None):
        lbs[name] = E.history(name, revs, created, MTIME["aws.loadBalancers"], end)

    def lb(name, created, listeners, inst, scheme="internet-facing", **kw):
        kw.setdefault("vpc_id", VPC_PROD)
        kw.setdefault("subnets", pub if scheme == "internet-facing" else priv)
        kw.setdefault("azs", azs if scheme == "internet-facing" else azs3)
        kw.setdefault("security_groups", [SG["elb-public"]] if scheme == "internet-facing" else [SG["app-internal"]])
        kw.setdefault("source_group", ("elb-public", E.ACCOUNT) if scheme == "internet-facing"
                      else ("app-internal", E.ACCOUNT))
        return E.load_balancer(name, created, listeners, inst, scheme, **kw)

    # planted 8: an 8080 listener appears on an internet-facing ELB in the window
    c = ms("2024-02-12T16:03:11.540Z")
    add("legacy-api", c, [
        (seen(c), lb("legacy-api", c, [L(80, 8080)], ids["legacy-gw"], tags={"service_name": "legacy-gw"})),
        (ms("2025-11-27T15:30:12.884Z"), lb("legacy-api", c, [L(80, 8080), L(8080, 8080)], ids["legacy-gw"],
                                            tags={"service_name": "legacy-gw"}))])
    # planted 8: a new internet-facing ELB on 8443
    c = ms("2025-11-29T13:15:00.120Z")
    add("admin-console", c, [(seen(c, 38007), lb("admin-console", c, [HTTPS(8443, 8443, "admin-console")],
                                                 ids["api"], health_target="HTTP:8443/health",
                                                 tags={"service_name": "api", "team": "platform"}))])
    # 80/443 only, changed in the window (new instances registered)
    c = ms("2025-01-20T10:44:29.003Z")
    web = lambda inst: lb("web-prod", c, [L(80, 8080), HTTPS(443, 8080, "web-prod")], inst,  # noqa: E731
                          tags={"service_name": "web"})
    add("web-prod", c, [(seen(c), web([])),
                        (ms("2025-09-10T13:31:16.775Z"), web(ids["web-old"])),
                        (ms("2025-11-27T10:01:37.062Z"), web(ids["web-old"] + ids["web-new"]))])
    # internal, port 80 only, changed in the window (a terminated instance left it)
    c = ms("2025-08-04T09:58:40.000Z")
    api = lambda inst: lb("api-internal", c, [L(80, 8080)], inst, scheme="internal",  # noqa: E731
                          health_target="HTTP:8080/healthcheck", tags={"service_name": "api"})
    add("api-internal", c, [(seen(c), api([])),
                            (ms("2025-08-04T10:20:05.441Z"), api(ids["api"])),
                            (ms("2025-08-21T19:48:31.207Z"), api(ids["api"] + ids["api-scaleout"])),
                            (ms("2025-11-27T10:00:55.129Z"), api(ids["api"]))])
    # planted 8: port 9000, but its last change was before the window
    c = ms("2024-06-01T08:00:00.000Z")
    add("metrics-old", c, [
        (seen(c), lb("metrics-old", c, [L(9000, 9000, "TCP")], [], scheme="internal", health_target="TCP:9000")),
        (ms("2025-11-15T12:40:19.551Z"), lb("metrics-old", c, [L(9000, 9000, "TCP")], [], scheme="internal",
                                            health_target="HTTP:9000/-/healthy"))])
    # plain: 80/443, unchanged since it was created (before the window)
    c = ms("2025-11-10T14:05:12.650Z")
    add("staging-web", c, [(seen(c), lb("staging-web", c, [L(80, 8080), HTTPS(443, 8080, "staging-web")],
                                        ids["staging"], vpc_id=VPC_DEFAULT, subnets=[SUBNETS["default-a"][0]],
                                        azs=["us-east-1a"], security_groups=[SG["default-staging"]],
                                        source_group=("default", E.ACCOUNT),
                                        tags={"service_name": "web-staging"}))])
    # part lib-elb-rds-asg: a partner gateway, unchanged since March, whose HTTPS listener
    # uses an IAM server certificate (not ACM) with the TLS 1.2 policy
    c = ms("2025-03-04T09:12:40.330Z")
    iam_cert = "arn:aws:iam::%s:server-certificate/partner-2025" % E.ACCOUNT
    add("partner-gw", c, [(seen(c), lb("partner-gw", c, [L(443, 8443, "HTTPS", "HTTP", iam_cert,
                                                          ["ELBSecurityPolicy-TLS-1-2-2017-01"])],
                                       [], health_target="HTTP:8443/health", tags={"service_name": "partner-gw"}))])
    return lbs


def load_balancers_v2():
    """part lib-elb-rds-asg: aws.loadBalancersV2, the v2 LoadBalancer bean plus `listeners`."""
    V2 = "com.amazonaws.services.elasticloadbalancingv2.model."
    out = {}

    def zone(key):
        return {"class": V2 + "AvailabilityZone", "loadBalancerAddresses": [], "subnetId": SUBNETS[key][0],
                "zoneName": SUBNETS[key][2]}

    def listener(name, kind, port, protocol, actions, ssl_policy=None, cert=None):
        arn = "arn:aws:elasticloadbalancing:%s:%s:listener/%s/%s/%s/%s" % (
            E.REGION, E.ACCOUNT, kind, name, hexid("", name)[1:17], hexid("", "%s:%d" % (name, port))[1:17])
        return {"certificates": [{"certificateArn": cert, "class": V2 + "Certificate", "isDefault": None}] if cert else [],
                "class": V2 + "Listener", "defaultActions": actions, "listenerArn": arn,
                "loadBalancerArn": "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s" % (
                    E.REGION, E.ACCOUNT, kind, name, hexid("", name)[1:17]),
                "port": port, "protocol": protocol, "sslPolicy": ssl_policy}

    def forward(tg):
        return {"class": V2 + "Action", "order": None, "redirectConfig": None, "type": "forward",
                "targetGroupArn": "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s"
                                  % (E.REGION, E.ACCOUNT, tg, hexid("", "tg:" + tg)[1:17])}

    def lb(name, kind, created, scheme, zones, listeners, groups=None):
        short = "app" if kind == "application" else "net"
        arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s" % (
            E.REGION, E.ACCOUNT, short, name, hexid("", name)[1:17])
        dns = "%s%s-%s.elb.%s.amazonaws.com" % ("internal-" if scheme == "internal" else "", name,
                                                hexid("", "dns:" + name)[1:17], E.REGION)
        doc = {"DNSName": dns, "availabilityZones": [zone(z) for z in zones],
               "canonicalHostedZoneId": "Z35SXDOTRQ7X7K" if kind == "application" else "Z26RNL4JYFTOTI",
               "class": V2 + "LoadBalancer", "createdTime": created, "ipAddressType": "ipv4",
               "listeners": listeners, "loadBalancerArn": arn, "loadBalancerName": name, "scheme": scheme,
               "securityGroups": groups or [], "state": {"class": V2 + "LoadBalancerState", "code": "active",
                                                         "reason": None},
               "type": kind, "vpcId": VPC_PROD}
        out[name] = E.history(name, [(seen(created), doc)], created, MTIME["aws.loadBalancersV2"])

    # internet-facing ALB behind elb-public (443 from the world): an old TLS policy on 443
    # and a plain HTTP listener on 8080 that forwards instead of redirecting
    lb("payments-alb", "application", ms("2025-04-22T14:30:05.118Z"), "internet-facing", ["pub-a", "pub-b"],
       [listener("payments-alb", "app", 443, "HTTPS", [forward("payments")], "ELBSecurityPolicy-2016-08",
                 "arn:aws:acm:%s:%s:certificate/%s" % (E.REGION, E.ACCOUNT, E.uuid_like("payments-alb"))),
        listener("payments-alb", "app", 8080, "HTTP", [forward("payments")])],
       groups=[SG["elb-public"]])
    # internal NLB in one zone, plain TCP to Kafka
    lb("events-nlb", "network", ms("2025-06-30T08:02:44.771Z"), "internal", ["priv-a"],
       [listener("events-nlb", "net", 9092, "TCP", [forward("kafka")])])
    # an ALB left without listeners
    lb("orphan-alb", "application", ms("2025-07-11T17:45:10.002Z"), "internal", ["priv-a", "priv-b"], [],
       groups=[SG["app-internal"]])
    return out


def launch_configurations():
    out = {}
    for name, created, ami, itype, sgs, profile, public in [
        ("web-prod-v042", "2025-09-10T13:20:41.117Z", "web", "m5.large", ["web", "monitoring"], "web", None),
        ("api-prod-v017", "2025-08-04T10:09:50.902Z", "api", "c5.large", ["app-internal", "monitoring"], "api", False),
        ("billing-v2-v001", "2025-11-28T10:58:12.664Z", "billing-v2", "m5.large", ["billing", "app-internal"],
         "billing", True),
    ]:
        c = ms(created)
        script = "#!/bin/bash\nexec /opt/%s/start\n" % name
        if name == "api-prod-v017":  # planted: a database password written into the script
            script = "#!/bin/bash\nexport DB_PASSWORD=Tr0ub4dor-api-2025\nexec /opt/%s/start\n" % name
        doc = E.launch_configuration(name, c, AMI[ami], itype, [SG[g] for g in sgs], profile=profile,
                                     public_ip=public, user_data=script)
        out[name] = E.history(name, [(seen(c, 41873), doc)], c, MTIME["aws.launchConfigurations"])
    return out


def auto_scaling_groups():
    """part lib-elb-rds-asg: aws.autoScalingGroups (the key set of EDDA's BasicBeanMapperTest)."""
    out = {}
    for name, created, lc, zones, elbs, check in [
        # healthy shape: two zones, ELB health checks behind web-prod
        ("web-prod-v042", "2025-09-10T13:21:02.410Z", "web-prod-v042", ["priv-a", "priv-b"], ["web-prod"], "ELB"),
        # one zone, EC2 health checks behind legacy-api, a launch configuration with a public IP
        ("billing-v2-v001", "2025-11-28T10:59:30.880Z", "billing-v2-v001", ["pub-a"], ["legacy-api"], "EC2"),
    ]:
        c = ms(created)
        doc = {
            "VPCZoneIdentifier": ",".join(SUBNETS[z][0] for z in zones),
            "autoScalingGroupARN": "arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s"
                                   % (E.REGION, E.ACCOUNT, E.uuid_like("asg:" + name), name),
            "autoScalingGroupName": name,
            "availabilityZones": sorted(SUBNETS[z][2] for z in zones),
            "class": E.ASG + "AutoScalingGroup", "createdTime": c, "defaultCooldown": 300,
            "desiredCapacity": 2, "enabledMetrics": [], "healthCheckGracePeriod": 300, "healthCheckType": check,
            "instances": [], "launchConfigurationName": lc, "launchTemplate": None, "loadBalancerNames": elbs,
            "maxSize": 4, "minSize": 2, "newInstancesProtectedFromScaleIn": False, "placementGroup": None,
            "status": None, "suspendedProcesses": [],
            "tags": [{"class": E.ASG + "TagDescription", "key": "service_name", "propagateAtLaunch": True,
                      "resourceId": name, "resourceType": "auto-scaling-group", "value": name.split("-v")[0],
                      "service_name": name.split("-v")[0]}],
            "targetGroupARNs": [], "terminationPolicies": ["Default"],
        }
        out[name] = E.history(name, [(seen(c, 41873), doc)], c, MTIME["aws.autoScalingGroups"])
    return out


# ---------------------------------------------------------------------------
# IAM

def iam_users():
    K = E.access_key
    out = {}

    def add(name, created, revs):
        out[name] = E.history(name, revs, created, MTIME["aws.iamUsers"])

    c = ms("2023-04-11T10:20:00Z")
    add("alice", c, [(EDDA_START, E.iam_user("alice", c, ["developers"], [K("alice", "1", ms("2025-04-01T08:00:12Z"))],
                                             password_last_used=ms("2025-05-29T16:02:10Z")))])
    # changed in the window (a login), same groups: no alert
    c = ms("2022-09-01T09:00:00Z")
    bob = lambda used: E.iam_user("bob", c, ["developers", "readonly"],  # noqa: E731
                                  [K("bob", "1", ms("2025-02-17T11:31:40Z"))], password_last_used=used)
    add("bob", c, [(EDDA_START, bob(ms("2025-05-30T07:45:00Z"))),
                   (ms("2025-10-01T12:00:20.513Z"), bob(ms("2025-10-01T11:58:03Z"))),
                   (ms("2025-11-26T18:22:41.007Z"), bob(ms("2025-11-26T18:15:29Z")))])
    # removed from admins in the window: no alert
    c = ms("2021-03-15T13:37:00Z")
    carol = lambda groups: E.iam_user("carol", c, groups, [K("carol", "1", ms("2024-12-02T10:00:00Z"))],  # noqa: E731
                                      password_last_used=ms("2025-05-28T09:10:00Z"))
    add("carol", c, [(EDDA_START, carol(["admins", "developers"])),
                     (ms("2025-11-28T09:12:40.771Z"), carol(["developers"]))])
    # planted 9: added to admins in the window
    c = ms("2025-02-10T15:20:00Z")
    mallory = lambda groups: E.iam_user("mallory", c, groups,  # noqa: E731
                                        [K("mallory", "1", ms("2025-02-10T15:25:00Z"))],
                                        password_last_used=ms("2025-05-31T22:01:13Z"))
    add("mallory", c, [(EDDA_START, mallory(["developers"])),
                       (ms("2025-11-28T16:40:05.332Z"), mallory(["developers", "admins"]))])
    # planted 9: a brand-new user
    c = ms("2025-11-29T09:03:11Z")
    add("eve", c, [(ms("2025-11-29T09:05:30.118Z"),
                    E.iam_user("eve", c, ["developers"], [K("eve", "1", ms("2025-11-29T09:04:02Z"))]))])
    # planted 9: added to deployers and key rotated in the window; whitelisted by ^.*Deployment$
    c = ms("2024-01-08T12:00:00Z")
    k1 = ms("2024-01-08T12:01:30Z")
    add("ci-Deployment", c, [
        (EDDA_START, E.iam_user("ci-Deployment", c, ["readonly"], [K("ci-Deployment", "1", k1)])),
        (ms("2025-11-27T07:05:51.009Z"), E.iam_user(
            "ci-Deployment", c, ["readonly", "deployers"],
            [K("ci-Deployment", "1", k1, "Inactive"), K("ci-Deployment", "2", ms("2025-11-27T07:04:40Z"))]))])
    # planted: an Active access key created exactly 400 days before captured_at
    c = CAPTURED - 400 * E.DAY_MS
    add("svc-backup", c, [(EDDA_START, E.iam_user("svc-backup", c, [], [K("svc-backup", "1", c)],
                                                  ["s3-backup-write"], path="/service/"))])
    c = ms("2023-11-02T08:30:00Z")
    add("svc-metrics", c, [(EDDA_START, E.iam_user("svc-metrics", c, ["readonly"],
                                                   [K("svc-metrics", "1", ms("2025-05-15T10:00:00Z"))],
                                                   path="/service/"))])
    # lib-iam (policies/iam/): a service user with two active access keys, both recent
    # (user-two-active-keys; not stale, unchanged in the window)
    c = ms("2024-05-06T09:00:00Z")
    add("svc-reports", c, [(EDDA_START, E.iam_user("svc-reports", c, ["readonly"],
                                                   [K("svc-reports", "1", ms("2025-10-20T08:00:00Z")),
                                                    K("svc-reports", "2", ms("2025-11-10T08:00:00Z"))],
                                                   path="/service/"))])
    return out


def iam_groups():
    out = {}
    for name, created, policies in [
        ("admins", "2019-05-01T09:00:00Z", ["admin-all"]),
        ("developers", "2019-05-01T09:01:00Z", ["ec2-dev", "s3-dev-buckets"]),
        ("readonly", "2019-05-01T09:02:00Z", []),
        ("deployers", "2024-01-08T11:55:00Z", ["asg-deploy"]),
        ("billing-ops", "2023-06-19T14:00:00Z", ["billing-read"]),
    ]:
        c = ms(created)
        out[name] = E.history(name, [(EDDA_START, E.iam_group(name, c, policies))], c, MTIME["aws.iamGroups"])
    return out


def iam_roles():
    out = {}
    for name, created, first, principal, cond, desc in [
        ("web-instance", "2024-03-02T10:00:00Z", EDDA_START, {"Service": "ec2.amazonaws.com"}, None,
         "instance role for web"),
        ("lambda-exec", "2024-06-11T09:30:00Z", EDDA_START, {"Service": "lambda.amazonaws.com"}, None, None),
        ("ci-cross-account", "2025-11-28T13:02:33Z", ms("2025-11-28T13:10:00.412Z"),
         {"AWS": "arn:aws:iam::999988887777:root"}, {"StringEquals": {"sts:ExternalId": "ci-7f3a"}},
         "deploys from the CI account"),
        ("legacy-open-trust", "2023-02-14T17:45:00Z", EDDA_START, {"AWS": "*"}, None, None),
    ]:
        c = ms(created)
        doc = E.iam_role(name, c, E.trust_policy(principal, cond), desc)
        out[name] = E.history(name, [(first, doc)], c, MTIME["aws.iamRoles"])
    return out


def statement_doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def iam_policies():
    """aws.iamPolicies: id policyName, ctime = updateDate at first sight (EDDA's
    AwsIamPolicyCrawler). A new default version or a new attachment count makes a
    revision."""
    allow = lambda action, resource, **kw: dict(kw, Effect="Allow", Action=action, Resource=resource)  # noqa: E731
    MP = E.managed_policy
    out = {}

    def add(name, revs):
        out[name] = E.history(name, revs, revs[0][1]["updateDate"], MTIME["aws.iamPolicies"])

    # AWS-managed, * on *, unchanged since EDDA's first crawl; ignored by default
    c = ms("2015-02-06T18:39:46Z")
    add("AdministratorAccess", [(EDDA_START, MP("AdministratorAccess", c, c, statement_doc(allow("*", "*")),
                                                attachments=1, account="aws", policy_id="ANPAIWMBCKSKIEE64ZLYK",
                                                indent=2))])
    # planted: a customer policy with * on *, created in the window (console JSON editor)
    c = ms("2025-11-28T22:14:05Z")
    glass = lambda n: MP("ops-break-glass", c, c, statement_doc(allow("*", "*", Sid="BreakGlass")),  # noqa: E731
                         attachments=n, indent=4)
    add("ops-break-glass", [(ms("2025-11-28T22:15:12.806Z"), glass(0)),
                            (ms("2025-11-28T22:20:09.374Z"), glass(1))])
    # plain: one action on one bucket
    c = ms("2024-07-22T13:48:30Z")
    add("s3-readonly-logs", [(EDDA_START, MP("s3-readonly-logs", c, c, statement_doc(
        allow("s3:GetObject", "arn:aws:s3:::acme-prod-logs/*")), attachments=1))])
    # changed in the window: v2 widens the actions. Statement is one object, not a list,
    # and "*" is not among its actions: no alert
    c = ms("2024-01-08T11:58:20Z")
    v2 = ms("2025-11-27T10:31:02Z")
    single = lambda action: {"Version": "2012-10-17", "Statement": allow(action, "*")}  # noqa: E731
    add("deploy-ecs", [
        (EDDA_START, MP("deploy-ecs", c, c, single(["ecs:DescribeServices", "ecs:RegisterTaskDefinition",
                                                    "ecs:UpdateService"]), attachments=1)),
        (ms("2025-11-27T10:32:41.260Z"), MP("deploy-ecs", c, v2, single(["ecs:*", "iam:PassRole"]), version="v2",
                                            attachments=1))])
    # plain: Resource * with one harmless action
    c = ms("2024-11-05T09:12:44Z")
    add("cloudwatch-put-metrics", [(EDDA_START, MP("cloudwatch-put-metrics", c, c, statement_doc(
        allow(["cloudwatch:PutMetricData"], "*", Sid="PutMetrics")), attachments=2, path="/service/"))])
    # lib-iam (policies/iam/): an old customer policy with * on *, detached long ago
    # (customer-policy-admin-unattached), and AWSCloudShellFullAccess attached twice
    # (cloudshell-full-access); neither changed in the window
    c = ms("2022-03-09T15:30:00Z")
    add("legacy-admin", [(EDDA_START, MP("legacy-admin", c, c, statement_doc(allow("*", "*")), attachments=0))])
    c = ms("2020-12-15T17:00:00Z")
    add("AWSCloudShellFullAccess", [(EDDA_START, MP("AWSCloudShellFullAccess", c, c, statement_doc(
        allow(["cloudshell:*"], "*")), attachments=2, account="aws", policy_id="ANPAJ4SW3ZAYSXJUW7TMG", indent=4))])
    return out


# ---------------------------------------------------------------------------
# RDS

def databases():
    """aws.databases: id DBInstanceIdentifier, ctime = first seen."""
    sub = lambda *keys: [(SUBNETS[k][0], SUBNETS[k][2]) for k in keys]  # noqa: E731
    private = E.db_subnet_group("prod-private", "private subnets of prod", VPC_PROD, sub("priv-a", "priv-b", "priv-c"))
    public = E.db_subnet_group("legacy-public", "legacy, public subnets", VPC_PROD, sub("pub-a", "pub-b"))
    out = {}

    def add(name, revs):
        out[name] = E.history(name, revs, None, MTIME["aws.databases"])

    # plain: private, encrypted, multi-AZ; its replica appeared in September
    c = ms("2024-05-13T08:27:54.312Z")
    billing = lambda replicas: E.database(  # noqa: E731
        "billing-db", "postgres", "16.4", "db.r6g.large", c, "us-east-1a", private, [SG["db"]], "billing_admin",
        "billing", 5432, allocated_storage=200, multi_az=True, secondary_az="us-east-1c", encrypted=True,
        backup_retention=14, replicas=replicas, tags={"service_name": "billing", "team": "payments"})
    replica_seen = ms("2025-09-15T10:03:10.557Z")
    add("billing-db", [(EDDA_START, billing([])), (replica_seen, billing(["reports-replica"]))])

    # planted: the read replica is made publicly accessible inside the window
    created = ms("2025-09-15T10:09:42.180Z")
    replica = lambda status, made, public: E.database(  # noqa: E731
        "reports-replica", "postgres", "16.4", "db.r6g.large", made, "us-east-1b", private, [SG["db"]],
        "billing_admin", "billing", 5432, allocated_storage=200, encrypted=True, backup_retention=0,
        status=status, replica_of="billing-db", publicly_accessible=public, tags={"service_name": "reports"})
    add("reports-replica", [(replica_seen, replica("creating", None, False)),
                            (ms("2025-09-15T10:24:51.093Z"), replica("available", created, False)),
                            (ms("2025-11-29T16:20:07.512Z"), replica("modifying", created, False)),
                            (ms("2025-11-29T16:24:58.903Z"), replica("available", created, True))])

    # publicly accessible for years, unchanged since October: no alert (not in `changed`)
    c = ms("2023-03-14T15:02:33.845Z")
    legacy = lambda storage: E.database(  # noqa: E731
        "legacy-mysql", "mysql", "5.7.44", "db.t3.medium", c, "us-east-1a", public, [SG["default"]], "admin",
        "legacy", 3306, allocated_storage=storage, storage_type="gp2", publicly_accessible=True,
        backup_retention=1, tags={"Name": "legacy-mysql"})
    add("legacy-mysql", [(EDDA_START, legacy(20)), (ms("2025-10-19T05:12:27.448Z"), legacy(50))])

    # part lib-elb-rds-asg: unchanged since before the window (so not `changed`):
    # analytics-mysql is public behind debug-all (all traffic from 0.0.0.0/0), keeps no backups,
    # takes no minor upgrades, copies no tags and exports no logs; ops-classic-pg has no VPC
    c = ms("2024-09-02T11:20:14.560Z")
    analytics = E.database("analytics-mysql", "mysql", "8.0.39", "db.t3.large", c, "us-east-1b", public,
                           [SG["debug-all"]], "analytics", "analytics", 3306, publicly_accessible=True,
                           encrypted=True, backup_retention=0, tags={"service_name": "analytics"})
    analytics.update(autoMinorVersionUpgrade=False, copyTagsToSnapshot=False, enabledCloudwatchLogsExports=[])
    add("analytics-mysql", [(EDDA_START, analytics)])
    c = ms("2013-05-20T16:44:03.118Z")
    classic = E.database("ops-classic-pg", "postgres", "11.22", "db.m3.medium", c, "us-east-1a", None, [],
                         "ops", "ops", 5433, encrypted=True, tags={"service_name": "ops"})
    classic["DBSecurityGroups"] = [{"DBSecurityGroupName": "default", "class": E.RDS + "DBSecurityGroupMembership",
                                    "status": "active"}]
    add("ops-classic-pg", [(EDDA_START, classic)])
    return out


# ---------------------------------------------------------------------------
# plain-documents example

# ---------------------------------------------------------------------------
# EBS volumes and snapshots (lib-sg, policies/ec2): the web root volume is encrypted;
# the legacy gateway's data volume is not (ebs-volume-unencrypted), nor is its nightly
# snapshot (ebs-snapshot-unencrypted); a public snapshot of another account is listed too
# (EDDA does not filter snapshots by owner) and is not ours.

VOL = {k: hexid("vol", k) for k in ("web-root", "legacy-data")}
SNAP = {k: hexid("snap", k) for k in ("legacy-nightly", "web-root", "vendor-public")}


def volume(key, size, az, encrypted, created, instance=None):
    kms = "arn:aws:kms:us-east-1:%s:key/%s" % (E.ACCOUNT, E.uuid_like(key)) if encrypted else None
    return {
        "attachments": [] if instance is None else [{
            "attachTime": created, "class": E.EC2 + "VolumeAttachment", "deleteOnTermination": False,
            "device": "/dev/xvdf", "instanceId": instance, "state": "attached", "volumeId": VOL[key]}],
        "availabilityZone": az, "class": E.EC2 + "Volume", "createTime": created, "encrypted": encrypted,
        "iops": 3 * size, "kmsKeyId": kms, "size": size, "snapshotId": "", "state": "in-use" if instance else "available",
        "tags": [], "volumeId": VOL[key], "volumeType": "gp2"}


def snapshot(key, volume_id, size, encrypted, started, owner=E.ACCOUNT, description=""):
    return {
        "class": E.EC2 + "Snapshot", "dataEncryptionKeyId": None, "description": description,
        "encrypted": encrypted, "kmsKeyId": None, "ownerAlias": None, "ownerId": owner,
        "progress": "100%", "snapshotId": SNAP[key], "startTime": started, "state": "completed",
        "stateMessage": None, "tags": [], "volumeId": volume_id, "volumeSize": size}


def volumes():
    t1, t2 = ms("2025-06-10T08:00:00.000Z"), ms("2025-09-01T12:30:00.000Z")
    docs = {
        "web-root": (t1, volume("web-root", 16, "us-east-1a", True, t1)),
        "legacy-data": (t2, volume("legacy-data", 200, "us-east-1a", False, t2)),
    }
    return {VOL[k]: E.history(VOL[k], [(t, d)], None, MTIME["aws.volumes"]) for k, (t, d) in docs.items()}


def snapshots():
    t = ms("2025-11-30T03:00:00.000Z")
    docs = {
        "legacy-nightly": snapshot("legacy-nightly", VOL["legacy-data"], 200, False, t, description="nightly legacy-data"),
        "web-root": snapshot("web-root", VOL["web-root"], 16, True, t, description="nightly web-root"),
        "vendor-public": snapshot("vendor-public", "vol-ffffffff", 8, False, ms("2024-03-01T00:00:00.000Z"),
                                  owner="999988887777", description="vendor appliance 3.1"),
    }
    return {SNAP[k]: E.history(SNAP[k], [(t, d)], None, MTIME["aws.snapshots"]) for k, d in docs.items()}


def plain_security_groups():
    return [
        E.security_group(hexid("sg", "plain-web"), "web", "web frontends", VPC_PROD,
                         [P("tcp", 443, 443, WORLD), P("tcp", 80, 80, WORLD)]),
        E.security_group(hexid("sg", "plain-telnet"), "legacy-telnet", "legacy gateway", VPC_PROD,
                         [P("tcp", 22, 22, ["10.0.0.0/8"]), P("tcp", 23, 23, WORLD)]),
        E.security_group(hexid("sg", "plain-db"), "db", "postgres", VPC_PROD,
                         [P("tcp", 5432, 5432, pairs=[group_pair(hexid("sg", "plain-web"), VPC_PROD)])]),
    ]


# ---------------------------------------------------------------------------
# Enriched IAM and S3 fields (the X checks of policies/iam and policies/s3, item 2 of the
# coverage issue). Open-source EDDA does not record them; an enriched collector adds them
# to the current revision of every IAM user, group and role (GetAccountAuthorizationDetails,
# GetLoginProfile, ListMFADevices, GetAccessKeyLastUsed) and records aws.buckets with each
# bucket's ACL, policy, public access block and ownership controls. Older revisions keep
# open-source EDDA's shape.

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
READONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def attached(*arns):
    return [{"class": E.IAM + "AttachedPolicy", "policyArn": a, "policyName": a.rsplit("/", 1)[1]} for a in arns]


def inline(name, *statements):
    return {"class": E.IAM + "PolicyDetail", "policyDocument": E.iam_document(statement_doc(*statements)),
            "policyName": name}


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def enrich_iam(users, groups, roles):
    acct = E.ACCOUNT
    # user -> (login profile created, MFA serials, attached managed policies)
    login = {"alice": ms("2023-04-11T10:21:00Z"), "bob": ms("2022-09-01T09:02:00Z"),
             "carol": ms("2021-03-15T13:40:00Z"), "mallory": ms("2025-02-10T15:21:00Z"),
             "eve": ms("2025-11-29T09:03:15Z")}
    mfa = {"alice": ["GAHT10472291"], "bob": ["GAHT10472318"], "carol": ["GAHT10472355"],
           "eve": ["arn:aws:iam::%s:mfa/eve" % acct]}          # planted: eve's is virtual; mallory has none
    # key id -> last used (None: never; planted: eve's first key, svc-metrics' since 2025-09)
    last_used = {"mallory": ms("2025-11-30T08:12:00Z"), "alice": ms("2025-11-30T17:40:00Z"),
                 "bob": ms("2025-11-29T10:05:00Z"), "carol": ms("2025-11-28T15:00:00Z"),
                 "ci-Deployment": ms("2025-11-30T22:10:00Z"), "svc-backup": ms("2025-11-30T03:00:00Z"),
                 "svc-metrics": ms("2025-09-01T06:00:00Z"), "svc-reports": ms("2025-11-30T05:30:00Z"), "eve": None}
    inline_docs = {"svc-backup": [inline("s3-backup-write", allow(["s3:PutObject"], "arn:aws:s3:::reports-archive/backups/*"))]}
    for name, revs in users.items():
        d = revs[0]["data"]
        if name in login:
            d["loginProfile"] = {"class": E.IAM + "LoginProfile", "createDate": login[name],
                                 "passwordResetRequired": False, "userName": name}
        d["mfaDevices"] = [{"class": E.IAM + "MFADevice", "enableDate": login.get(name, d["attributes"]["createDate"]) + 600000,
                            "serialNumber": s, "userName": name} for s in mfa.get(name, [])]
        d["attachedManagedPolicies"] = attached(ADMIN_ARN) if name == "mallory" else []  # planted
        d["userPolicyList"] = inline_docs.get(name, [])
        for k in d["accessKeys"]:
            used = last_used[name] if k["status"] == "Active" else ms("2025-11-20T10:00:00Z")
            k["accessKeyLastUsed"] = {"class": E.IAM + "AccessKeyLastUsed", "lastUsedDate": used,
                                      "region": "us-east-1" if used else "N/A", "serviceName": "s3" if used else "N/A"}
    group_docs = {
        "admins": [inline("admin-all", allow("*"))],                                   # planted
        "developers": [inline("ec2-dev", allow("ec2:*", "arn:aws:ec2:us-east-1:%s:instance/*" % acct)),
                       inline("s3-dev-buckets", allow("s3:*", "arn:aws:s3:::dev-*"))],
        "deployers": [inline("asg-deploy", allow(["autoscaling:*", "iam:PassRole", "ec2:RunInstances"]))],  # planted
        "billing-ops": [inline("billing-read", allow(["aws-portal:View*", "ce:Get*"]))],
    }
    for name, revs in groups.items():
        d = revs[0]["data"]
        d["attachedManagedPolicies"] = attached(ADMIN_ARN) if name == "admins" else \
            attached(READONLY_ARN) if name == "readonly" else []
        d["groupPolicyList"] = group_docs.get(name, [])
    for name, revs in roles.items():
        d = revs[0]["data"]
        d["attachedManagedPolicies"] = {"ci-cross-account": attached(ADMIN_ARN),          # planted
                                        "legacy-open-trust": attached(READONLY_ARN),       # planted
                                        "web-instance": attached("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")}.get(name, [])
        d["rolePolicyList"] = [inline("logs", allow(["logs:CreateLogStream", "logs:PutLogEvents"],
                                                    "arn:aws:logs:us-east-1:%s:*" % acct))] if name == "lambda-exec" else []


def buckets():
    S3 = "com.amazonaws.services.s3.model."
    owner = {"class": S3 + "Owner", "displayName": "aws-ops",
             "id": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}
    own_grant = {"class": S3 + "Grant", "grantee": {"class": S3 + "CanonicalGrantee", "displayName": "aws-ops",
                 "identifier": owner["id"], "typeIdentifier": "id"}, "permission": "FULL_CONTROL"}
    all_users = {"class": S3 + "GroupGrantee", "identifier": "http://acs.amazonaws.com/groups/global/AllUsers",
                 "typeIdentifier": "uri"}

    def bucket(name, created, grants, policy, block, ownership):
        return {"acl": {"class": S3 + "AccessControlList", "grants": [own_grant] + grants, "owner": owner},
                "class": S3 + "Bucket", "creationDate": created, "name": name, "owner": owner,
                "ownershipControls": None if ownership is None else {
                    "class": S3 + "ownership.OwnershipControls",
                    "rules": [{"class": S3 + "ownership.OwnershipControlsRule", "objectOwnership": ownership}]},
                "policy": None if policy is None else E.json.dumps(statement_doc(*policy), separators=(",", ":")),
                "publicAccessBlock": None if block is None else dict(
                    {"class": S3 + "PublicAccessBlockConfiguration"},
                    blockPublicAcls=block, blockPublicPolicy=block, ignorePublicAcls=block, restrictPublicBuckets=block)}

    def deny_http(name):
        return {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": ["arn:aws:s3:::" + name, "arn:aws:s3:::%s/*" % name],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}

    out = {}
    for name, created, grants, policy, block, ownership in [
        # clean: private, HTTPS only, blocked, ACLs disabled
        ("reports-archive", ms("2023-11-14T10:00:00Z"), [], [deny_http("reports-archive")], True, "BucketOwnerEnforced"),
        # planted: a static site readable by everyone through its ACL and its policy, ACLs on, no block
        ("public-site-assets", ms("2024-05-06T12:30:00Z"), [{"class": S3 + "Grant", "grantee": all_users, "permission": "READ"}],
         [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::public-site-assets/*"}], None, "ObjectWriter"),
        # planted: anyone may upload, and a partner account may read
        ("upload-inbox", ms("2025-03-03T08:00:00Z"), [],
         [{"Sid": "AnyoneUploads", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject",
           "Resource": "arn:aws:s3:::upload-inbox/*"},
          {"Sid": "PartnerReads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
           "Action": "s3:GetObject", "Resource": "arn:aws:s3:::upload-inbox/*"}], False, "BucketOwnerEnforced"),
    ]:
        out[name] = E.history(name, [(seen(created), bucket(name, created, grants, policy, block, ownership))],
                              created, MTIME["aws.buckets"])
    return out


# ---------------------------------------------------------------------------
# part lib-x-compute: fields a newer EDDA build or an enriched collector records
#
# EDDA 3.x (AWS SDK 1.11.264) records none of these; the guarded (X) policies are not
# evaluated without them. A few documents carry them, in every revision (as a source that
# always recorded them would), so that each of those policies is evaluated and alerts.

def enrich_x_compute(collections):
    def docs(name, rid):
        return [e["data"] for e in collections[name][rid]]

    def instance_docs(iid):
        """The instance's documents in view.instances and inside its aws.instances reservation."""
        out = docs("view.instances", iid)
        for revs in collections["aws.instances"].values():
            for e in revs:
                out += [i for i in e["data"]["instances"] if i["instanceId"] == iid]
        return out

    def imds(tokens, endpoint="enabled"):
        return {"class": E.EC2 + "InstanceMetadataOptionsResponse", "httpEndpoint": endpoint,
                "httpProtocolIpv6": "disabled", "httpPutResponseHopLimit": 1, "httpTokens": tokens,
                "instanceMetadataTags": "disabled", "state": "applied"}

    # the debug box: IMDSv1, and launched as a Nitro Enclave host (public, all traffic open)
    debug = instance_id("debug", 0)
    for d in instance_docs(debug):
        d["metadataOptions"] = imds("optional")
        d["enclaveOptions"] = {"class": E.EC2 + "EnclaveOptions", "enabled": True}
    # the bastion: IMDSv2 required, no enclave
    for d in instance_docs(instance_id("bastion", 0)):
        d["metadataOptions"] = imds("required")
        d["enclaveOptions"] = {"class": E.EC2 + "EnclaveOptions", "enabled": False}
    # user data (DescribeInstanceAttribute): the debug box was started with a personal access
    # key in its script (AWS's documentation example key); the bastion's is clean
    for key, script in [("debug", "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
                                  "/usr/local/bin/debug-agent --listen 0.0.0.0\n"),
                        ("bastion", "#!/bin/bash\nyum -y update\n")]:
        for d in instance_docs(instance_id(key, 0)):
            d["userData"] = base64.b64encode(script.encode()).decode()

    # Amazon Linux 2 2.0.20250508 (bastion, debug) was deprecated in September; the Windows
    # image is not deprecated before 2027
    for d in docs("aws.images", AMI["amzn2"]):
        d["deprecationTime"] = "2025-09-08T22:13:00.000Z"
    for d in docs("aws.images", AMI["windows"]):
        d["deprecationTime"] = "2027-08-13T21:04:00.000Z"

    # the network interfaces of two groups: debug-all on the debug box, elb-public on ELB nodes
    eni = E.EC2 + "NetworkInterface"
    debug_eni = docs("view.instances", debug)[0]["networkInterfaces"][0]["networkInterfaceId"]
    for d in docs("aws.securityGroups", SG["debug-all"]):
        d["networkInterfaces"] = [{"attachment": {"class": E.EC2 + "NetworkInterfaceAttachment",
                                                  "instanceId": debug, "instanceOwnerId": E.ACCOUNT,
                                                  "status": "attached"},
                                   "class": eni, "interfaceType": "interface", "networkInterfaceId": debug_eni,
                                   "requesterId": None}]
    for d in docs("aws.securityGroups", SG["elb-public"]):
        d["networkInterfaces"] = [{"attachment": {"class": E.EC2 + "NetworkInterfaceAttachment",
                                                  "instanceId": None, "instanceOwnerId": "amazon-elb",
                                                  "status": "attached"},
                                   "class": eni, "interfaceType": "interface",
                                   "networkInterfaceId": hexid("eni", "elb-public-%d" % k),
                                   "requesterId": "amazon-elb"} for k in range(2)]

    # launch configurations: billing-v2 allows IMDSv1, web-prod requires IMDSv2
    for name, tokens in [("billing-v2-v001", "optional"), ("web-prod-v042", "required")]:
        for d in docs("aws.launchConfigurations", name):
            d["metadataOptions"] = {"class": E.ASG + "InstanceMetadataOptions", "httpEndpoint": "enabled",
                                    "httpPutResponseHopLimit": 1, "httpTokens": tokens}
    # Auto Scaling groups: neither rebalances capacity nor mixes instance types
    for name in ("billing-v2-v001", "web-prod-v042"):
        for d in docs("aws.autoScalingGroups", name):
            d["capacityRebalance"] = False
            d["mixedInstancesPolicy"] = None

    # classic ELBs: legacy-api keeps the defaults (no logs, no draining, monitor mode);
    # web-prod is hardened
    L = "com.amazonaws.services.elasticloadbalancing.model."

    def attrs(on, mode):
        return {"accessLog": {"class": L + "AccessLog", "emitInterval": 60 if on else None, "enabled": on,
                              "s3BucketName": "elb-logs-%s" % E.ACCOUNT if on else None,
                              "s3BucketPrefix": None},
                "additionalAttributes": [{"class": L + "AdditionalAttribute",
                                          "key": "elb.http.desyncmitigationmode", "value": mode}],
                "class": L + "LoadBalancerAttributes",
                "connectionDraining": {"class": L + "ConnectionDraining", "enabled": on, "timeout": 300},
                "connectionSettings": {"class": L + "ConnectionSettings", "idleTimeout": 60},
                "crossZoneLoadBalancing": {"class": L + "CrossZoneLoadBalancing", "enabled": on}}
    for name, on, mode in [("legacy-api", False, "monitor"), ("web-prod", True, "defensive")]:
        for d in docs("aws.loadBalancers", name):
            d["loadBalancerAttributes"] = attrs(on, mode)

    # ELBv2: payments-alb has neither logs nor deletion protection and keeps invalid headers;
    # events-nlb is protected but not cross-zone
    V2 = "com.amazonaws.services.elasticloadbalancingv2.model.LoadBalancerAttribute"
    for name, kv in [
        ("payments-alb", [("access_logs.s3.enabled", "false"), ("deletion_protection.enabled", "false"),
                          ("idle_timeout.timeout_seconds", "60"),
                          ("routing.http.desync_mitigation_mode", "defensive"),
                          ("routing.http.drop_invalid_header_fields.enabled", "false")]),
        ("events-nlb", [("deletion_protection.enabled", "true"), ("load_balancing.cross_zone.enabled", "false")]),
    ]:
        for d in docs("aws.loadBalancersV2", name):
            d["attributes"] = [{"class": V2, "key": k, "value": v} for k, v in kv]

    # RDS: legacy-mysql (MySQL 5.7, past standard support) is in Extended Support, unprotected,
    # on the rds-ca-2019 certificate that expired in August 2024; reports-replica is unprotected
    # and its certificate expires in January; billing-db is protected, on a CA valid to 2061
    cert = lambda ca, till: {"CAIdentifier": ca, "class": "com.amazonaws.services.rds.model.CertificateDetails",  # noqa: E731
                             "validTill": ms(till)}
    for name, protected, ca, till, support in [
        ("legacy-mysql", False, "rds-ca-2019", "2024-08-22T17:08:50Z", "open-source-rds-extended-support"),
        ("reports-replica", False, "rds-ca-rsa2048-g1", "2026-01-15T10:09:42Z",
         "open-source-rds-extended-support-disabled"),
        ("billing-db", True, "rds-ca-rsa2048-g1", "2061-05-13T08:27:54Z", "open-source-rds-extended-support-disabled"),
    ]:
        for d in docs("aws.databases", name):
            d["deletionProtection"] = protected
            d["certificateDetails"] = cert(ca, till)
            d["engineLifecycleSupport"] = support
    # the parameters of the groups (DescribeDBParameters): billing-db forces TLS, its replica
    # does not
    for name, force in [("billing-db", "1"), ("reports-replica", "0")]:
        for d in docs("aws.databases", name):
            for g in d["DBParameterGroups"]:
                g["parameters"] = [{"allowedValues": "0,1", "applyMethod": "pending-reboot", "applyType": "dynamic",
                                    "class": "com.amazonaws.services.rds.model.Parameter", "dataType": "boolean",
                                    "isModifiable": True, "parameterName": "rds.force_ssl",
                                    "parameterValue": force, "source": "user" if force == "1" else "engine-default"}]


# ---------------------------------------------------------------------------
# collections no open-source EDDA serves, from an enriched collector (policies/ec2/launch-
# template-*, policies/rds/rds-engine-version-unsupported)

def launch_templates():
    """aws.launchTemplates: billing-v2's first version allowed IMDSv1 and gave a public IP;
    batch's (gzip-compressed) user data carries a GitHub token; api is clean."""
    lt = "com.amazonaws.services.ec2.model."

    def version(n, created, imds, public, script, zipped=False):
        data = script.encode()
        if zipped:
            data = gzip.compress(data, mtime=0)
        nic = {"associatePublicIpAddress": public, "class": lt + "LaunchTemplateInstanceNetworkInterfaceSpecification",
               "deleteOnTermination": True, "deviceIndex": 0, "groups": [SG["app-internal"]],
               "subnetId": SUBNETS["priv-a"][0]}
        return {"class": lt + "LaunchTemplateVersion", "createTime": created, "defaultVersion": False,
                "launchTemplateData": {"class": lt + "ResponseLaunchTemplateData", "imageId": AMI["billing-v2"],
                                       "instanceType": "m5.large", "metadataOptions": {
                                           "class": lt + "LaunchTemplateInstanceMetadataOptions",
                                           "httpEndpoint": "enabled", "httpPutResponseHopLimit": 1,
                                           "httpTokens": imds, "state": "applied"},
                                       "networkInterfaces": [nic], "userData": base64.b64encode(data).decode()},
                "versionDescription": "v%d" % n, "versionNumber": n}

    out = {}
    for name, created, versions in [
        ("billing-v2", "2025-11-28T10:58:12.664Z",
         [(1, "optional", True, "#!/bin/bash\nexec /opt/billing/start\n", False),
          (2, "required", False, "#!/bin/bash\nexec /opt/billing/start\n", False)]),
        ("batch", "2025-10-02T08:14:37.201Z",
         [(1, "required", False, "#!/bin/bash\ngit config --global url.https://x:ghp_4f9Qm2ZtL8wXv1Kc7RbN3yHd6JsP0aE5uGiT"
                                 "@github.com/.insteadOf https://github.com/\n", True)]),
        ("api", "2025-08-04T10:09:50.902Z", [(1, "required", False, "#!/bin/bash\nexec /opt/api/start\n", False)]),
    ]:
        c = ms(created)
        vs = [version(n, c + 86400000 * (n - 1), imds, public, script, zipped)
              for n, imds, public, script, zipped in versions]
        vs[-1]["defaultVersion"] = True
        tid = hexid("lt", name)
        doc = {"class": lt + "LaunchTemplate", "createTime": c, "createdBy": "arn:aws:iam::%s:role/deploy" % E.ACCOUNT,
               "defaultVersionNumber": len(vs), "latestVersionNumber": len(vs), "launchTemplateId": tid,
               "launchTemplateName": name, "tags": [], "versions": vs}
        out[tid] = E.history(tid, [(seen(c + 86400000 * (len(vs) - 1)), doc)], c, MTIME["aws.launchTemplates"])
    return out


def db_engine_versions():
    """aws.dbEngineVersions: what the region offers; legacy-mysql's 5.7.44 and ops-classic-pg's
    11.22 are gone (rds-engine-version-unsupported)."""
    out = {}
    for engine, version, family in [("postgres", "16.4", "postgres16"), ("postgres", "16.6", "postgres16"),
                                    ("postgres", "17.2", "postgres17"), ("mysql", "8.0.39", "mysql8.0"),
                                    ("mysql", "8.0.40", "mysql8.0")]:
        arn = "arn:aws:rds:us-east-1:%s:db-engine-version:%s-%s" % (E.ACCOUNT, engine, version)
        doc = {"DBEngineVersionArn": arn, "DBEngineVersionDescription": "%s %s" % (engine, version),
               "DBParameterGroupFamily": family, "class": "com.amazonaws.services.rds.model.DBEngineVersion",
               "engine": engine, "engineVersion": version, "status": "available"}
        out[arn] = E.history(arn, [(EDDA_START, doc)], None, MTIME["aws.dbEngineVersions"])
    return out


# ---------------------------------------------------------------------------

def write_collection(path, by_id):
    envelopes = [e for revs in by_id.values() for e in revs]
    envelopes.sort(key=lambda e: (-e["stime"], e["id"]))  # EDDA's datastore order
    with open(path, "w") as f:
        f.write(E.dumps_pretty(envelopes) + "\n")
    return len(envelopes), os.path.getsize(path)


def check_window(collections):
    """Guard the scenario: closed revisions chain, and nothing sits in the last 5
    minutes (the default lag) or at the very edges of the window."""
    for name, by_id in collections.items():
        for rid, revs in by_id.items():
            for newer, older in zip(revs, revs[1:]):
                assert older["ltime"] == newer["stime"] and older["stime"] < newer["stime"], (name, rid)
            for e in revs:
                for t in (e["stime"], e["ltime"]):
                    assert t is None or not (SINCE - 3600000 < t < SINCE + 3600000), (name, rid, t)
                    assert t is None or t < CAPTURED - 30 * 60000, (name, rid, t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--out", default=os.path.join(HERE, "snapshot"))
    ap.add_argument("--plain", default=os.path.join(HERE, "plain"))
    args = ap.parse_args()

    view, resv, ids = instances()
    users, groups, roles = iam_users(), iam_groups(), iam_roles()
    enrich_iam(users, groups, roles)
    collections = {
        "aws.buckets": buckets(),
        "aws.databases": databases(),
        "aws.dbEngineVersions": db_engine_versions(),
        "aws.iamGroups": groups,
        "aws.iamPolicies": iam_policies(),
        "aws.iamRoles": roles,
        "aws.iamUsers": users,
        "aws.images": images(),
        "aws.instances": resv,
        "aws.launchConfigurations": launch_configurations(),
        "aws.launchTemplates": launch_templates(),
        "aws.loadBalancers": load_balancers(ids),
        "aws.loadBalancersV2": load_balancers_v2(),
        "aws.autoScalingGroups": auto_scaling_groups(),
        "aws.securityGroups": security_groups(),
        "aws.snapshots": snapshots(),
        "aws.volumes": volumes(),
        "aws.vpcs": vpcs(),
        "view.instances": view,
    }
    enrich_x_compute(collections)
    check_window(collections)

    os.makedirs(args.out, exist_ok=True)
    total = 0
    for name in sorted(collections):
        n, size = write_collection(os.path.join(args.out, name + ".json"), collections[name])
        total += size
        print("%-28s %4d documents %8d bytes" % (name, n, size))
    manifest = {"captured_at": CAPTURED, "edda": EDDA_URL, "since": SINCE}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        f.write(E.dumps_pretty(manifest) + "\n")
    print("%-28s %23d bytes" % ("total", total))

    os.makedirs(args.plain, exist_ok=True)
    with open(os.path.join(args.plain, "aws.securityGroups.json"), "w") as f:
        f.write(E.dumps_pretty(plain_security_groups()) + "\n")


if __name__ == "__main__":
    main()
