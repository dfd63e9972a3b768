# W1 in jq: one line per violating rule, "groupId protocol fromPort toPort".
.[] | .groupId as $g | .ipPermissions[]
| select(.ipProtocol != "icmp")
| select(.ipRanges | index("0.0.0.0/0") != null)
| select(.fromPort != .toPort or (.fromPort | IN(80, 443) | not))
| "\($g) \(.ipProtocol) \(.fromPort) \(.toPort)"
