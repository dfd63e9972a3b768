#include "model/collections.hpp"

#include <map>

namespace reddalert::model {

namespace {

using Defs = std::map<std::string, SchemaPtr, std::less<>>;

// Shared shapes. `class` is on every AWS bean; `*` marks objects whose keys are open
// (flattened tag keys, Java maps).
const char* const kDefinitions[][2] = {
    {"tag", "{class: string, key: string, value: string, *}"},
    {"asgtag",
     "{class: string, key: string, value: string, propagateAtLaunch: bool, resourceId: string, resourceType: string, "
     "*}"},
    {"enum", "{class: string, name: string}"},
    {"iprange", "{class: string, cidrIp: string, description: string}"},
    {"ipv6range", "{class: string, cidrIpv6: string, description: string}"},
    {"grouppair",
     "{class: string, description: string, groupId: string, groupName: string, peeringStatus: string, userId: string, "
     "vpcId: string, vpcPeeringConnectionId: string}"},
    {"prefixlist", "{class: string, description: string, prefixListId: string}"},
    {"permission",
     "{class: string, fromPort: number, toPort: number, ipProtocol: string, ipRanges: [string], ipv4Ranges: "
     "[$iprange], ipv6Ranges: [$ipv6range], prefixListIds: [$prefixlist], userIdGroupPairs: [$grouppair]}"},
    {"groupid", "{class: string, groupId: string, groupName: string}"},
    {"ebs", "{attachTime: number, class: string, deleteOnTermination: bool, status: string, volumeId: string}"},
    {"instance", R"({amiLaunchIndex: number, architecture: string,
      blockDeviceMappings: [{class: string, deviceName: string, ebs: $ebs}], class: string, clientToken: string,
      ebsOptimized: bool, elasticGpuAssociations: [any], enaSupport: bool, hypervisor: string,
      iamInstanceProfile: {arn: string, class: string, id: string}, imageId: string, instanceId: string,
      instanceLifecycle: string, instanceType: string, kernelId: string, keyName: string, launchTime: number,
      monitoring: {class: string, state: string},
      networkInterfaces: [{association: {class: string, ipOwnerId: string, publicDnsName: string, publicIp: string},
        attachment: {attachTime: number, attachmentId: string, class: string, deleteOnTermination: bool, deviceIndex: number, status: string},
        class: string, description: string, groups: [$groupid], ipv6Addresses: [any], macAddress: string,
        networkInterfaceId: string, ownerId: string, privateDnsName: string, privateIpAddress: string,
        privateIpAddresses: [{association: any, class: string, primary: bool, privateDnsName: string, privateIpAddress: string}],
        sourceDestCheck: bool, status: string, subnetId: string, vpcId: string}],
      placement: {affinity: string, availabilityZone: string, class: string, groupName: string, hostId: string, spreadDomain: string, tenancy: string},
      platform: string, privateDnsName: string, privateIpAddress: string, productCodes: [any], publicDnsName: string,
      publicIpAddress: string, ramdiskId: string, rootDeviceName: string, rootDeviceType: string,
      securityGroups: [$groupid], sourceDestCheck: bool, spotInstanceRequestId: string, sriovNetSupport: string,
      state: {class: string, code: number, name: string}, stateReason: {class: string, code: string, message: string},
      stateTransitionReason: string, subnetId: string, tags: [$tag], virtualizationType: string, vpcId: string,
      cpuOptions: any, capacityReservationId: any, capacityReservationSpecification: any, hibernationOptions: any,
      licenses: any, metadataOptions: any})"},
    {"listener",
     "{SSLCertificateId: string, class: string, instancePort: number, instanceProtocol: string, loadBalancerPort: "
     "number, protocol: string}"},
    {"accesskey", "{accessKeyId: string, class: string, createDate: number, status: string, userName: string}"},
    {"user",
     "{arn: string, class: string, createDate: number, passwordLastUsed: number, path: string, userId: string, "
     "userName: string, permissionsBoundary: any, tags: [any]}"},
};

// Collections EDDA (OSS) serves; edda.md section 1.3.
const char* const kCollections[][3] = {
    {"aws.addresses", "publicIp",
     "{class: string, allocationId: string, associationId: string, domain: string, instanceId: string, "
     "networkInterfaceId: string, networkInterfaceOwnerId: string, privateIpAddress: string, publicIp: string, tags: "
     "[$tag], *}"},
    {"aws.alarms", "alarmName", "{*}"},
    {"aws.autoScalingGroups", "autoScalingGroupName",
     R"({VPCZoneIdentifier: string, autoScalingGroupARN: string, autoScalingGroupName: string,
      availabilityZones: [string], class: string, createdTime: number, defaultCooldown: number, desiredCapacity: number,
      enabledMetrics: [any], healthCheckGracePeriod: number, healthCheckType: string,
      instances: [{availabilityZone: string, class: string, healthStatus: string, instanceId: string, launchConfigurationName: string,
        launchTemplate: any, lifecycleState: string, protectedFromScaleIn: bool}],
      launchConfigurationName: string, launchTemplate: any, loadBalancerNames: [string], maxSize: number, minSize: number,
      newInstancesProtectedFromScaleIn: bool, placementGroup: string, status: string, suspendedProcesses: [any],
      tags: [$asgtag], targetGroupARNs: [string], terminationPolicies: [string], *})"},
    {"aws.buckets", "name",
     "{class: string, creationDate: number, name: string, owner: {class: string, displayName: string, id: string}}"},
    {"aws.cacheClusters", "cacheClusterId", "{*}"},
    {"aws.databases", "DBInstanceIdentifier",
     "{DBInstanceIdentifier: string, arn: string, tags: [$tag], publiclyAccessible: bool, storageEncrypted: bool, "
     "vpcSecurityGroups: [any], endpoint: any, *}"},
    {"aws.databaseSubnets", "DBSubnetGroupName", "{*}"},
    {"aws.hostedZones", "name", "{*}"},
    {"aws.hostedRecords", "name", "{*}"},
    {"aws.iamGroups", "name",
     "{attributes: {arn: string, class: string, createDate: number, groupId: string, groupName: string, path: string}, "
     "name: string, policies: [string]}"},
    {"aws.iamPolicies", "policyName",
     "{arn: string, attachmentCount: number, class: string, createDate: number, defaultDocument: string, "
     "defaultVersionId: string, description: string, isAttachable: bool, path: string, permissionsBoundaryUsageCount: "
     "number, policyId: string, policyName: string, updateDate: number}"},
    {"aws.iamRoles", "roleName",
     "{arn: string, assumeRolePolicyDocument: string, class: string, createDate: number, description: string, "
     "maxSessionDuration: number, path: string, permissionsBoundary: any, roleId: string, roleName: string, tags: "
     "[$tag]}"},
    {"aws.iamUsers", "name",
     "{accessKeys: [$accesskey], attributes: $user, groups: [string], name: string, userPolicies: [string]}"},
    {"aws.iamVirtualMFADevices", "serialNumber",
     "{base32StringSeed: any, class: string, enableDate: number, qrcodePNG: any, serialNumber: string, user: $user}"},
    {"aws.images", "imageId", R"({architecture: string, blockDeviceMappings: [{class: string, deviceName: string,
      ebs: {class: string, deleteOnTermination: bool, encrypted: bool, iops: number, kmsKeyId: string, snapshotId: string, volumeSize: number, volumeType: string},
      noDevice: string, virtualName: string}], class: string, creationDate: string, description: string, enaSupport: bool,
      hypervisor: string, imageId: string, imageLocation: string, imageOwnerAlias: string, imageType: string, kernelId: string,
      name: string, ownerId: string, platform: string, productCodes: [any], public: bool, ramdiskId: string, rootDeviceName: string,
      rootDeviceType: string, sriovNetSupport: string, state: string, stateReason: any, tags: [$tag], virtualizationType: string})"},
    {"aws.instances", "reservationId",
     "{class: string, groupNames: [string], groups: [$groupid], instances: [$instance], ownerId: string, requesterId: "
     "string, reservationId: string}"},
    {"aws.launchConfigurations", "launchConfigurationName",
     R"({associatePublicIpAddress: bool, blockDeviceMappings: [any], class: string,
      classicLinkVPCId: string, classicLinkVPCSecurityGroups: [string], createdTime: number, ebsOptimized: bool,
      iamInstanceProfile: string, imageId: string, instanceMonitoring: {class: string, enabled: bool}, instanceType: string,
      kernelId: string, keyName: string, launchConfigurationARN: string, launchConfigurationName: string, placementTenancy: string,
      ramdiskId: string, securityGroups: [string], spotPrice: string, userData: string})"},
    {"aws.loadBalancers", "loadBalancerName", R"({DNSName: string, VPCId: string, availabilityZones: [string],
      backendServerDescriptions: [{class: string, instancePort: number, policyNames: [string]}], canonicalHostedZoneName: string,
      canonicalHostedZoneNameID: string, class: string, createdTime: number,
      healthCheck: {class: string, healthyThreshold: number, interval: number, target: string, timeout: number, unhealthyThreshold: number},
      instances: [{class: string, instanceId: string}],
      listenerDescriptions: [{class: string, listener: $listener, policyNames: [string]}], loadBalancerName: string,
      policies: {LBCookieStickinessPolicies: [any], appCookieStickinessPolicies: [any], class: string, otherPolicies: [string]},
      scheme: string, securityGroups: [string], sourceSecurityGroup: {class: string, groupName: string, ownerAlias: string},
      subnets: [string], tags: [$tag]})"},
    {"aws.loadBalancersV2", "loadBalancerName",
     "{loadBalancerName: string, loadBalancerArn: string, scheme: string, type: string, listeners: [{port: number, "
     "protocol: string, certificates: [any], sslPolicy: string, defaultActions: [any], *}], securityGroups: [string], "
     "*}"},
    {"aws.reservedInstances", "reservedInstancesId", "{*}"},
    {"aws.reservedInstancesOfferings", "reservedInstancesOfferingId", "{*}"},
    {"aws.scalingActivities", "activityId", "{*}"},
    {"aws.scalingPolicies", "policyName", "{*}"},
    {"aws.scheduledActions", "scheduledActionARN", "{*}"},
    {"aws.securityGroups", "groupId",
     "{class: string, description: string, groupId: string, groupName: string, ipPermissions: [$permission], "
     "ipPermissionsEgress: [$permission], ownerId: string, tags: [$tag], vpcId: string}"},
    {"aws.snapshots", "snapshotId", "{*}"},
    {"aws.stacks", "stackName", "{*}"},
    {"aws.subnets", "subnetId",
     "{assignIpv6AddressOnCreation: bool, availabilityZone: string, availableIpAddressCount: number, cidrBlock: "
     "string, class: string, defaultForAz: bool, ipv6CidrBlockAssociationSet: [any], mapPublicIpOnLaunch: bool, state: "
     "string, subnetId: string, tags: [$tag], vpcId: string, *}"},
    {"aws.tags", "key", "{*}"},
    {"aws.targetGroups", "targetGroupName", "{*}"},
    {"aws.volumes", "volumeId", "{*}"},
    {"aws.vpcs", "vpcId",
     "{cidrBlock: string, cidrBlockAssociationSet: [any], class: string, dhcpOptionsId: string, instanceTenancy: "
     "string, ipv6CidrBlockAssociationSet: [any], isDefault: bool, state: string, tags: [$tag], vpcId: string, *}"},
    {"view.instances", "instanceId", "$instance"},
    {"view.loadBalancerInstances", "name",
     "{instances: [{class: string, description: string, instanceId: string, reasonCode: string, state: string}], name: "
     "string}"},
    {"view.simpleQueues", "name", "{attributes: {*}, name: string, url: string}"},
    {"group.autoScalingGroups", "name",
     R"({desiredCapacity: number, end: number, instances: [{availabilityZone: string, end: number, imageId: string,
      instanceId: string, instanceType: string, launchTime: number, lifecycleState: string, platform: string, privateIpAddress: string,
      publicDnsName: string, publicIpAddress: string, slot: number, start: number, vpcId: string}], launchConfigurationName: string,
      loadBalancerNames: [string], maxSize: number, minSize: number, name: string, start: number})"},
};

const std::map<std::string, CollectionInfo, std::less<>>& table() {
  static const auto* t = [] {
    Defs defs;
    for (const auto& d : kDefinitions) defs[d[0]] = parse_schema(d[1], defs);
    auto* out = new std::map<std::string, CollectionInfo, std::less<>>();
    for (const auto& c : kCollections) (*out)[c[0]] = CollectionInfo{c[0], c[1], parse_schema(c[2], defs)};
    return out;
  }();
  return *t;
}

}  // namespace

const CollectionInfo* find_collection(std::string_view name) {
  const auto& t = table();
  const auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

std::vector<std::string> collection_names() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.push_back(k);
  return out;
}

}  // namespace reddalert::model
