"""Builders for EDDA documents, shaped as EDDA 3.x (AWS Java SDK 1.11.264) serves them.

Shared by examples/make_snapshot.py (the bundled snapshot) and bench/gen_snapshot.py
(benchmark snapshots). Stdlib only. Shapes follow docs/design edda.md section 4:
every bean has a "class" key, nulls are kept, dates are epoch milliseconds (except
Image.creationDate, a string), tags are flattened (each tag object also holds a key
named after the tag), string lists are sorted case-insensitively and bean lists are
in an opaque but stable order.

Every builder returns plain dicts/lists and is deterministic: same arguments, same
document.
"""

import base64
import calendar
import hashlib
import json
import time
import urllib.parse

EC2 = "com.amazonaws.services.ec2.model."
ELB = "com.amazonaws.services.elasticloadbalancing.model."
IAM = "com.amazonaws.services.identitymanagement.model."
ASG = "com.amazonaws.services.autoscaling.model."
RDS = "com.amazonaws.services.rds.model."

ACCOUNT = "123456789012"
REGION = "us-east-1"
ASG_REQUESTER = "226008221399"  # the account AutoScaling launches instances from
DAY_MS = 86400 * 1000


# ---------------------------------------------------------------------------
# time and ids


def ms(iso):
    """'2025-11-27T14:12:31.418Z' (or without millis) -> epoch milliseconds (UTC)."""
    iso = iso.rstrip("Z")
    frac = 0
    if "." in iso:
        iso, f = iso.split(".")
        frac = int((f + "000")[:3])
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%S")) * 1000 + frac


def iso(t):
    """epoch milliseconds -> '2025-11-27T14:12:31.000Z' (the AWS string-date form)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t // 1000)) + ".%03dZ" % (t % 1000)


def _digest(seed):
    return hashlib.sha256(seed.encode()).digest()


def hexid(prefix, seed, n=17):
    """A realistic AWS id, e.g. hexid('sg', 'web') -> 'sg-0' + 16 hex digits."""
    return prefix + "-0" + _digest(prefix + ":" + seed).hex()[: n - 1]


def upper_id(prefix, seed, n):
    """IAM-style ids: AKIA..., AIDA..., AROA..., AGPA... (upper-case base32)."""
    body = base64.b32encode(_digest(prefix + ":" + seed)).decode()
    return prefix + body[: n - len(prefix)]


def uuid_like(seed):
    h = _digest(seed).hex()
    return "%s-%s-4%s-a%s-%s" % (h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])


def mac(seed):
    d = _digest("mac:" + seed)
    return "0a:" + ":".join("%02x" % b for b in d[:5])


# ---------------------------------------------------------------------------
# generic helpers


def ci_sorted(strings):
    """EDDA sorts string lists by their lower-cased value."""
    return sorted(strings, key=lambda s: (s.lower(), s))


def bean_sorted(beans):
    """EDDA sorts bean lists by the lower-cased toString of a Scala map: opaque but
    stable. We imitate 'stable and not the AWS order' with the sorted JSON text."""
    return sorted(beans, key=lambda b: json.dumps(b, sort_keys=True).lower())


def flat_tags(tags, cls=EC2 + "Tag"):
    """{'Name': 'web'} -> [{'class':..., 'key':'Name', 'value':'web', 'Name':'web'}]."""
    out = []
    for k in ci_sorted(tags):
        t = {"class": cls, "key": k, "value": tags[k]}
        t[k] = tags[k]
        out.append(t)
    return out


def envelope(rid, data, stime, ltime, ctime, ftime, mtime_current):
    """One `_meta` record. mtime is ltime for closed revisions, and the collection's
    last crawl time for the current one."""
    return {
        "ctime": ctime,
        "data": data,
        "ftime": ftime,
        "id": rid,
        "ltime": ltime,
        "mtime": ltime if ltime is not None else mtime_current,
        "stime": stime,
        "tags": {},
    }


def history(rid, revisions, ctime, mtime_current, end=None):
    """Envelopes for every revision of one resource.

    revisions: [(stime, data), ...] oldest first. Each revision's ltime is the next
    one's stime; the last one's ltime is `end` (None: still current; a time: the
    resource vanished then). ctime defaults to first seen when None. Returned newest
    first, as EDDA's datastore sorts them.
    """
    ftime = revisions[0][0]
    if ctime is None:
        ctime = ftime
    out = []
    for k, (stime, data) in enumerate(revisions):
        ltime = revisions[k + 1][0] if k + 1 < len(revisions) else end
        out.append(envelope(rid, data, stime, ltime, ctime, ftime, mtime_current))
    out.reverse()
    return out


# ---------------------------------------------------------------------------
# EC2: security groups


def group_pair(group_id, vpc_id, user_id=ACCOUNT, description=None):
    return {
        "class": EC2 + "UserIdGroupPair",
        "description": description,
        "groupId": group_id,
        "groupName": None,  # null for VPC groups
        "peeringStatus": None,
        "userId": user_id,
        "vpcId": vpc_id if user_id != ACCOUNT else None,
        "vpcPeeringConnectionId": None,
    }


def ip_permission(protocol, from_port=None, to_port=None, cidrs=(), cidrs6=(), pairs=(),
                  descriptions=None):
    """One IpPermission. protocol "-1" forces null ports. cidrs go to both ipRanges
    (strings) and ipv4Ranges (IpRange beans); cidrs6 to ipv6Ranges."""
    descriptions = descriptions or {}
    if protocol == "-1":
        from_port = to_port = None
    return {
        "class": EC2 + "IpPermission",
        "fromPort": from_port,
        "ipProtocol": protocol,
        "ipRanges": ci_sorted(cidrs),
        "ipv4Ranges": bean_sorted(
            [{"cidrIp": c, "class": EC2 + "IpRange", "description": descriptions.get(c)} for c in cidrs]),
        "ipv6Ranges": bean_sorted(
            [{"cidrIpv6": c, "class": EC2 + "Ipv6Range", "description": descriptions.get(c)} for c in cidrs6]),
        "prefixListIds": [],
        "toPort": to_port,
        "userIdGroupPairs": bean_sorted(list(pairs)),
    }


def default_egress():
    return [ip_permission("-1", cidrs=["0.0.0.0/0"])]


def security_group(group_id, name, description, vpc_id, ingress, egress=None, tags=None,
                   owner=ACCOUNT):
    return {
        "class": EC2 + "SecurityGroup",
        "description": description,
        "groupId": group_id,
        "groupName": name,
        "ipPermissions": bean_sorted(ingress),
        "ipPermissionsEgress": bean_sorted(default_egress() if egress is None else egress),
        "ownerId": owner,
        "tags": flat_tags(tags or {}),
        "vpcId": vpc_id,
    }


def group_identifier(group_id, name):
    return {"class": EC2 + "GroupIdentifier", "groupId": group_id, "groupName": name}


# ---------------------------------------------------------------------------
# EC2: instances and reservations


def private_dns(ip):
    return "ip-%s.ec2.internal" % ip.replace(".", "-") if ip else ""


def public_dns(ip):
    return "ec2-%s.compute-1.amazonaws.com" % ip.replace(".", "-") if ip else ""


def instance(instance_id, image_id, launch_time, az, subnet_id, vpc_id, private_ip,
             security_groups, tags, public_ip=None, instance_type="t3.medium",
             key_name="prod-2025", profile=None, account=ACCOUNT, platform=None,
             state="running", state_time=None, ipv6=(), lifecycle=None, spot_request=None,
             launch_index=0, client_token="", monitoring="disabled", virtualization="hvm",
             extra_enis=()):
    """One Instance bean (view.instances data; also an element of Reservation.instances).

    security_groups: [(groupId, groupName)]. profile: instance profile name or None.
    state: running | stopped | terminated. state_time: when it left running (ms).
    monitoring: disabled | enabled (detailed monitoring). virtualization: hvm | paravirtual.
    extra_enis: [(subnetId, vpcId, privateIp)]: interfaces attached after the primary one.
    """
    sgs = bean_sorted([group_identifier(g, n) for g, n in security_groups])
    codes = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48,
             "stopping": 64, "stopped": 80}
    gone = state == "terminated"
    if gone:
        private_ip = public_ip = None
        sgs = []
        ipv6 = ()
    if state == "stopped":
        public_ip = None
    reason = None
    transition = ""
    if state in ("stopped", "terminated"):
        reason = {"class": EC2 + "StateReason", "code": "Client.UserInitiatedShutdown",
                  "message": "Client.UserInitiatedShutdown: User initiated shutdown"}
        transition = "User initiated (%s GMT)" % time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime((state_time or launch_time) // 1000))
    association = None
    if public_ip:
        association = {"class": EC2 + "InstanceNetworkInterfaceAssociation", "ipOwnerId": "amazon",
                       "publicDnsName": public_dns(public_ip), "publicIp": public_ip}
    enis = []
    bdms = []
    if not gone:
        eni = hexid("eni", instance_id)
        enis = [{
            "association": association,
            "attachment": {"attachTime": launch_time, "attachmentId": hexid("eni-attach", instance_id),
                           "class": EC2 + "InstanceNetworkInterfaceAttachment",
                           "deleteOnTermination": True, "deviceIndex": 0, "status": "attached"},
            "class": EC2 + "InstanceNetworkInterface",
            "description": "",
            "groups": sgs,
            "ipv6Addresses": bean_sorted([{"class": EC2 + "InstanceIpv6Address", "ipv6Address": a}
                                          for a in ipv6]),
            "macAddress": mac(instance_id),
            "networkInterfaceId": eni,
            "ownerId": account,
            "privateDnsName": private_dns(private_ip),
            "privateIpAddress": private_ip,
            "privateIpAddresses": [{"association": association,
                                    "class": EC2 + "InstancePrivateIpAddress", "primary": True,
                                    "privateDnsName": private_dns(private_ip),
                                    "privateIpAddress": private_ip}],
            "sourceDestCheck": True,
            "status": "in-use",
            "subnetId": subnet_id,
            "vpcId": vpc_id,
        }]
        for n, (eni_subnet, eni_vpc, eni_ip) in enumerate(extra_enis, 1):
            eni_key = "%s-%d" % (instance_id, n)
            enis.append({
                "association": None,
                "attachment": {"attachTime": launch_time, "attachmentId": hexid("eni-attach", eni_key),
                               "class": EC2 + "InstanceNetworkInterfaceAttachment",
                               "deleteOnTermination": False, "deviceIndex": n, "status": "attached"},
                "class": EC2 + "InstanceNetworkInterface",
                "description": "",
                "groups": sgs,
                "ipv6Addresses": [],
                "macAddress": mac(eni_key),
                "networkInterfaceId": hexid("eni", eni_key),
                "ownerId": account,
                "privateDnsName": private_dns(eni_ip),
                "privateIpAddress": eni_ip,
                "privateIpAddresses": [{"association": None,
                                        "class": EC2 + "InstancePrivateIpAddress", "primary": True,
                                        "privateDnsName": private_dns(eni_ip),
                                        "privateIpAddress": eni_ip}],
                "sourceDestCheck": True,
                "status": "in-use",
                "subnetId": eni_subnet,
                "vpcId": eni_vpc,
            })
        root = "/dev/sda1" if platform == "windows" else "/dev/xvda"
        bdms = [{"class": EC2 + "InstanceBlockDeviceMapping", "deviceName": root,
                 "ebs": {"attachTime": launch_time + 1000, "class": EC2 + "EbsInstanceBlockDevice",
                         "deleteOnTermination": True, "status": "attached",
                         "volumeId": hexid("vol", instance_id)}}]
    return {
        "amiLaunchIndex": launch_index,
        "architecture": "x86_64",
        "blockDeviceMappings": bdms,
        "class": EC2 + "Instance",
        "clientToken": client_token,
        "ebsOptimized": instance_type.split(".")[0] in ("m5", "r5", "c5"),
        "elasticGpuAssociations": [],
        "enaSupport": True,
        "hypervisor": "xen",
        "iamInstanceProfile": None if profile is None else {
            "arn": "arn:aws:iam::%s:instance-profile/%s" % (account, profile),
            "class": EC2 + "IamInstanceProfile",
            "id": upper_id("AIPA", profile, 21)},
        "imageId": image_id,
        "instanceId": instance_id,
        "instanceLifecycle": lifecycle,
        "instanceType": instance_type,
        "kernelId": None,
        "keyName": key_name,
        "launchTime": launch_time,
        "monitoring": {"class": EC2 + "Monitoring", "state": monitoring},
        "networkInterfaces": enis,
        "placement": {"affinity": None, "availabilityZone": az, "class": EC2 + "Placement",
                      "groupName": "", "hostId": None, "spreadDomain": None, "tenancy": "default"},
        "platform": platform,
        "privateDnsName": private_dns(private_ip),
        "privateIpAddress": private_ip,
        "productCodes": [],
        "publicDnsName": public_dns(public_ip),
        "publicIpAddress": public_ip,
        "ramdiskId": None,
        "rootDeviceName": "/dev/sda1" if platform == "windows" else "/dev/xvda",
        "rootDeviceType": "ebs",
        "securityGroups": sgs,
        "sourceDestCheck": True,
        "spotInstanceRequestId": spot_request,
        "sriovNetSupport": None,
        "state": {"class": EC2 + "InstanceState", "code": codes[state], "name": state},
        "stateReason": reason,
        "stateTransitionReason": transition,
        "subnetId": None if gone else subnet_id,
        "tags": flat_tags(tags),
        "virtualizationType": virtualization,
        "vpcId": None if gone else vpc_id,
    }


def reservation(reservation_id, instances, requester=None, owner=ACCOUNT):
    return {
        "class": EC2 + "Reservation",
        "groupNames": [],
        "groups": [],  # empty for VPC instances
        "instances": bean_sorted(instances),
        "ownerId": owner,
        "requesterId": requester,
        "reservationId": reservation_id,
    }


def reservation_history(reservation_id, timelines, mtime_current, requester=None):
    """Envelopes of a Reservation, derived from its instances' revisions: a change to
    any instance makes a new revision of the whole reservation.

    timelines: per instance, [(stime, ltime_or_None, instance_doc), ...].
    """
    points = sorted({t for tl in timelines for (s, l, _) in tl for t in (s, l) if t is not None})
    revisions = []
    for t in points:
        docs = [d for tl in timelines for (s, l, d) in tl if s <= t and (l is None or l > t)]
        if docs:
            revisions.append((t, reservation(reservation_id, docs, requester)))
        elif revisions:
            revisions.append((t, None))  # everything gone: the reservation vanished
    end = None
    if revisions and revisions[-1][1] is None:
        end = revisions.pop()[0]
    return history(reservation_id, revisions, None, mtime_current, end)


# ---------------------------------------------------------------------------
# EC2: images, VPCs


def image(image_id, name, creation_date, owner=ACCOUNT, alias=None, public=False,
          description=None, platform=None, tags=None, volume_size=8):
    root = "/dev/sda1" if platform == "windows" else "/dev/xvda"
    location = "%s/%s" % (alias or owner, name)
    return {
        "architecture": "x86_64",
        "blockDeviceMappings": [{
            "class": EC2 + "BlockDeviceMapping", "deviceName": root,
            "ebs": {"class": EC2 + "EbsBlockDevice", "deleteOnTermination": True, "encrypted": False,
                    "iops": None, "kmsKeyId": None, "snapshotId": hexid("snap", image_id),
                    "volumeSize": volume_size, "volumeType": "gp2"},
            "noDevice": None, "virtualName": None}],
        "class": EC2 + "Image",
        "creationDate": creation_date,  # a string, unlike every other date
        "description": description,
        "enaSupport": True,
        "hypervisor": "xen",
        "imageId": image_id,
        "imageLocation": location,
        "imageOwnerAlias": alias,
        "imageType": "machine",
        "kernelId": None,
        "name": name,
        "ownerId": owner,
        "platform": platform,
        "productCodes": [],
        "public": public,
        "ramdiskId": None,
        "rootDeviceName": root,
        "rootDeviceType": "ebs",
        "sriovNetSupport": "simple",
        "state": "available",
        "stateReason": None,
        "tags": flat_tags(tags or {}),
        "virtualizationType": "hvm",
    }


def vpc(vpc_id, cidr, is_default=False, tags=None, ipv6_cidr=None):
    v6 = []
    if ipv6_cidr:
        v6 = [{"associationId": hexid("vpc-cidr-assoc", vpc_id + "v6"), "class": EC2 + "VpcIpv6CidrBlockAssociation",
               "ipv6CidrBlock": ipv6_cidr,
               "ipv6CidrBlockState": {"class": EC2 + "VpcCidrBlockState", "state": "associated",
                                      "statusMessage": None}}]
    return {
        "cidrBlock": cidr,
        "cidrBlockAssociationSet": [{
            "associationId": hexid("vpc-cidr-assoc", vpc_id), "cidrBlock": cidr,
            "cidrBlockState": {"class": EC2 + "VpcCidrBlockState", "state": "associated",
                               "statusMessage": None},
            "class": EC2 + "VpcCidrBlockAssociation"}],
        "class": EC2 + "Vpc",
        "dhcpOptionsId": hexid("dopt", "dopt"),
        "instanceTenancy": "default",
        "ipv6CidrBlockAssociationSet": v6,
        "isDefault": is_default,
        "state": "available",
        "tags": flat_tags(tags or {}),
        "vpcId": vpc_id,
    }


# ---------------------------------------------------------------------------
# classic ELB


def listener(lb_port, instance_port, protocol="HTTP", instance_protocol=None, cert=None,
             policies=()):
    return {
        "class": ELB + "ListenerDescription",
        "listener": {"SSLCertificateId": cert, "class": ELB + "Listener",
                     "instancePort": instance_port,
                     "instanceProtocol": instance_protocol or ("HTTP" if protocol == "HTTPS" else protocol),
                     "loadBalancerPort": lb_port, "protocol": protocol},
        "policyNames": ci_sorted(policies),
    }


def https_listener(lb_port, instance_port, cert_seed):
    cert = "arn:aws:acm:%s:%s:certificate/%s" % (REGION, ACCOUNT, uuid_like(cert_seed))
    return listener(lb_port, instance_port, "HTTPS", "HTTP", cert, ["ELBSecurityPolicy-2016-08"])


def load_balancer(name, created, listeners, instance_ids, scheme="internet-facing",
                  vpc_id=None, subnets=(), azs=(), security_groups=(), health_target="HTTP:7001/healthcheck",
                  tags=None, source_group=("default", ACCOUNT)):
    dns_host = "%s-%d" % (name, int(_digest("elb:" + name).hex()[:8], 16) % 2000000000)
    if scheme == "internal":
        dns_host = "internal-" + dns_host
    dns = "%s.%s.elb.amazonaws.com" % (dns_host, REGION)
    other = ["ELBSecurityPolicy-2016-08"] if any(l["listener"]["protocol"] == "HTTPS" for l in listeners) else []
    return {
        "DNSName": dns,
        "VPCId": vpc_id,
        "availabilityZones": ci_sorted(azs),
        "backendServerDescriptions": [],
        "canonicalHostedZoneName": dns,
        "canonicalHostedZoneNameID": "Z35SXDOTRQ7X7K",
        "class": ELB + "LoadBalancerDescription",
        "createdTime": created,
        "healthCheck": {"class": ELB + "HealthCheck", "healthyThreshold": 2, "interval": 10,
                        "target": health_target, "timeout": 5, "unhealthyThreshold": 2},
        "instances": bean_sorted([{"class": ELB + "Instance", "instanceId": i} for i in instance_ids]),
        "listenerDescriptions": bean_sorted(listeners),
        "loadBalancerName": name,
        "policies": {"LBCookieStickinessPolicies": [], "appCookieStickinessPolicies": [],
                     "class": ELB + "Policies", "otherPolicies": other},
        "scheme": scheme,
        "securityGroups": ci_sorted(security_groups),
        "sourceSecurityGroup": {"class": ELB + "SourceSecurityGroup", "groupName": source_group[0],
                                "ownerAlias": source_group[1]},
        "subnets": ci_sorted(subnets),
        "tags": flat_tags(tags or {}, ELB + "Tag"),
    }


# ---------------------------------------------------------------------------
# IAM (custom EDDA documents, section 4.6)


def access_key(user, seed, created, status="Active"):
    return {"accessKeyId": upper_id("AKIA", user + ":" + seed, 20),
            "class": IAM + "AccessKeyMetadata", "createDate": created, "status": status,
            "userName": user}


def iam_user(name, created, groups=(), keys=(), policies=(), password_last_used=None,
             path="/", account=ACCOUNT):
    """groups, keys and policies keep the given (AWS) order: EDDA does not sort them."""
    return {
        "accessKeys": list(keys),
        "attributes": {"arn": "arn:aws:iam::%s:user%s%s" % (account, path, name),
                       "class": IAM + "User", "createDate": created,
                       "passwordLastUsed": password_last_used, "path": path,
                       "userId": upper_id("AIDA", name, 21), "userName": name},
        "groups": list(groups),
        "name": name,
        "userPolicies": list(policies),
    }


def iam_group(name, created, policies=(), path="/", account=ACCOUNT):
    return {
        "attributes": {"arn": "arn:aws:iam::%s:group%s%s" % (account, path, name),
                       "class": IAM + "Group", "createDate": created,
                       "groupId": upper_id("AGPA", name, 21), "groupName": name, "path": path},
        "name": name,
        "policies": list(policies),
    }


def trust_policy(principal, condition=None):
    stmt = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        stmt["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [stmt]}


def iam_document(doc, indent=None):
    """A policy document as IAM returns it: the JSON text exactly as it was submitted,
    URL-encoded. indent None: compact (what Terraform's jsonencode sends); an int: the
    pretty form the console and AWS-managed policies use (newlines kept, as %0A)."""
    text = json.dumps(doc, separators=(",", ":")) if indent is None else json.dumps(doc, indent=indent)
    return urllib.parse.quote(text, safe="")


def iam_role(name, created, trust, description=None, path="/", account=ACCOUNT):
    """trust: the policy as a dict; stored URL-encoded, as IAM returns it."""
    doc = iam_document(trust)
    return {
        "arn": "arn:aws:iam::%s:role%s%s" % (account, path, name),
        "assumeRolePolicyDocument": doc,
        "class": IAM + "Role",
        "createDate": created,
        "description": description,
        "path": path,
        "roleId": upper_id("AROA", name, 21),
        "roleName": name,
    }


def managed_policy(name, created, updated, document, version="v1", attachments=0, path="/",
                   account=ACCOUNT, policy_id=None, indent=None):
    """aws.iamPolicies data: a ManagedPolicy bean from ListPolicies plus EDDA's
    `defaultDocument` (GetPolicyVersion of defaultVersionId, URL-encoded JSON).
    account "aws" makes an AWS-managed policy ARN. `description` is always null:
    ListPolicies does not return it. `permissionsBoundaryUsageCount` is from SDKs newer
    than 1.11.264 (permissions boundaries, 2018)."""
    return {
        "arn": "arn:aws:iam::%s:policy%s%s" % (account, path, name),
        "attachmentCount": attachments,
        "class": IAM + "ManagedPolicy",
        "createDate": created,
        "defaultDocument": iam_document(document, indent),
        "defaultVersionId": version,
        "description": None,
        "isAttachable": True,
        "path": path,
        "permissionsBoundaryUsageCount": 0,
        "policyId": policy_id or upper_id("ANPA", account + ":" + name, 21),
        "policyName": name,
        "updateDate": updated,
    }


# ---------------------------------------------------------------------------
# RDS (section 4.9)


def db_subnet_group(name, description, vpc_id, subnets):
    """subnets: [(subnetId, availabilityZone)]."""
    return {
        "DBSubnetGroupArn": "arn:aws:rds:%s:%s:subgrp:%s" % (REGION, ACCOUNT, name),
        "DBSubnetGroupDescription": description,
        "DBSubnetGroupName": name,
        "class": RDS + "DBSubnetGroup",
        "subnetGroupStatus": "Complete",
        "subnets": bean_sorted([{
            "class": RDS + "Subnet",
            "subnetAvailabilityZone": {"class": RDS + "AvailabilityZone", "name": az},
            "subnetIdentifier": sid,
            "subnetStatus": "Active"} for sid, az in subnets]),
        "vpcId": vpc_id,
    }


def pending_modified_values(**changes):
    keys = ("CACertificateIdentifier", "DBInstanceClass", "DBInstanceIdentifier", "DBSubnetGroupName",
            "allocatedStorage", "backupRetentionPeriod", "engineVersion", "iops", "licenseModel",
            "masterUserPassword", "multiAZ", "port", "storageType")
    out = {k: None for k in keys}
    out.update(changes)
    out["class"] = RDS + "PendingModifiedValues"
    return out


def database(identifier, engine, engine_version, instance_class, created, az, subnet_group,
             security_groups, master_username, db_name, port, allocated_storage=100,
             storage_type="gp3", multi_az=False, secondary_az=None, publicly_accessible=False,
             encrypted=False, status="available", replica_of=None, replicas=(),
             backup_retention=7, parameter_group=None, option_group=None,
             ca="rds-ca-rsa2048-g1", license_model=None, tags=None, pending=None):
    """aws.databases data: a DBInstance bean (DescribeDBInstances) plus EDDA's own `arn`
    and `tags` (ListTagsForResource; flattened like every tag).

    created: instanceCreateTime (ms), or None while the instance is still being
    created (then it has no endpoint either). security_groups: VPC security group ids.
    latestRestorableTime is kept null: the real value moves every few minutes, which
    would make a revision on every crawl.
    """
    arn = "arn:aws:rds:%s:%s:db:%s" % (REGION, ACCOUNT, identifier)
    major = engine_version.split(".")[0]
    family = engine + (engine_version.rsplit(".", 1)[0] if engine == "mysql" else major)
    endpoint = None
    if created is not None:
        endpoint = {"address": "%s.c%s.%s.rds.amazonaws.com" % (identifier, _digest("rds:" + ACCOUNT).hex()[:11],
                                                                 REGION),
                    "class": RDS + "Endpoint", "hostedZoneId": "Z2R2ITUGPM61AM", "port": port}
    option = option_group or "default:%s-%s" % (engine, engine_version.rsplit(".", 1)[0].replace(".", "-")
                                                if engine == "mysql" else major)
    kms = "arn:aws:kms:%s:%s:key/%s" % (REGION, ACCOUNT, uuid_like("kms:rds")) if encrypted else None
    status_infos = []
    if replica_of and created is not None:
        status_infos = [{"class": RDS + "DBInstanceStatusInfo", "message": None, "normal": True,
                         "status": "replicating", "statusType": "read replication"}]
    return {
        "CACertificateIdentifier": ca,
        "DBClusterIdentifier": None,
        "DBInstanceArn": arn,
        "DBInstanceClass": instance_class,
        "DBInstanceIdentifier": identifier,
        "DBInstanceStatus": status,
        "DBName": db_name,
        "DBParameterGroups": [{"DBParameterGroupName": parameter_group or "default." + family,
                               "class": RDS + "DBParameterGroupStatus", "parameterApplyStatus": "in-sync"}],
        "DBSecurityGroups": [],
        "DBSubnetGroup": subnet_group,
        "IAMDatabaseAuthenticationEnabled": False,
        "allocatedStorage": allocated_storage,
        "arn": arn,
        "autoMinorVersionUpgrade": True,
        "availabilityZone": az,
        "backupRetentionPeriod": backup_retention,
        "characterSetName": None,
        "class": RDS + "DBInstance",
        "copyTagsToSnapshot": True,
        "dbInstancePort": 0,
        "dbiResourceId": upper_id("db-", identifier, 29),
        "domainMemberships": [],
        "endpoint": endpoint,
        "engine": engine,
        "engineVersion": engine_version,
        "enhancedMonitoringResourceArn": None,
        "instanceCreateTime": created,
        "iops": None,
        "kmsKeyId": kms,
        "latestRestorableTime": None,
        "licenseModel": license_model or ("general-public-license" if engine == "mysql" else "postgresql-license"),
        "masterUsername": master_username,
        "monitoringInterval": 0,
        "monitoringRoleArn": None,
        "multiAZ": multi_az,
        "optionGroupMemberships": [{"class": RDS + "OptionGroupMembership", "optionGroupName": option,
                                    "status": "in-sync"}],
        "pendingModifiedValues": pending_modified_values(**(pending or {})),
        "performanceInsightsEnabled": False,
        "performanceInsightsKMSKeyId": None,
        "preferredBackupWindow": "03:10-03:40",
        "preferredMaintenanceWindow": "sun:05:00-sun:05:30",
        "promotionTier": None,
        "publiclyAccessible": publicly_accessible,
        "readReplicaDBClusterIdentifiers": [],
        "readReplicaDBInstanceIdentifiers": ci_sorted(replicas),
        "readReplicaSourceDBInstanceIdentifier": replica_of,
        "secondaryAvailabilityZone": secondary_az,
        "statusInfos": status_infos,
        "storageEncrypted": encrypted,
        "storageType": storage_type,
        "tags": flat_tags(tags or {}, RDS + "Tag"),
        "tdeCredentialArn": None,
        "timezone": None,
        "vpcSecurityGroups": bean_sorted([{"class": RDS + "VpcSecurityGroupMembership", "status": "active",
                                           "vpcSecurityGroupId": g} for g in security_groups]),
    }


# ---------------------------------------------------------------------------
# auto scaling


def launch_configuration(name, created, image_id, instance_type, security_groups,
                         profile=None, key_name="prod-2025", public_ip=None, user_data=""):
    return {
        "associatePublicIpAddress": public_ip,
        "blockDeviceMappings": [],
        "class": ASG + "LaunchConfiguration",
        "classicLinkVPCId": None,
        "classicLinkVPCSecurityGroups": [],
        "createdTime": created,
        "ebsOptimized": False,
        "iamInstanceProfile": profile,
        "imageId": image_id,
        "instanceMonitoring": {"class": ASG + "InstanceMonitoring", "enabled": True},
        "instanceType": instance_type,
        "kernelId": "",
        "keyName": key_name,
        "launchConfigurationARN": "arn:aws:autoscaling:%s:%s:launchConfiguration:%s:launchConfigurationName/%s"
                                  % (REGION, ACCOUNT, uuid_like("lc:" + name), name),
        "launchConfigurationName": name,
        "placementTenancy": None,
        "ramdiskId": "",
        "securityGroups": ci_sorted(security_groups),
        "spotPrice": None,
        "userData": base64.b64encode(user_data.encode()).decode(),
    }


# ---------------------------------------------------------------------------
# output


def dumps_pretty(obj):
    """The committed form: sorted keys (EDDA order), one-space indent."""
    return json.dumps(obj, indent=1, sort_keys=True)


def dumps_compact(obj):
    """EDDA's own compact form: sorted keys, no spaces."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))
