"""The configuration options the simulator knows, as DescribeConfigurationOptions describes
them: namespaces, names, value types, allowed values, ranges, defaults and change severities.

Source: the EB guide's "General options for all environments" (command-options-general.md,
awsdocs/aws-elastic-beanstalk-developer-guide), its ranges and valid values copied per option;
the Python platform's options from "Platform specific options" (command-options-specific.md);
the fields and severities of a recorded answer (ebcli tests/unit/mock_responses.py,
RDS_DESCRIBE_CONFIGURATION_OPTIONS_RESPONSE: SystemType RestartEnvironment, scheduled actions
NoInterruption). Where a severity is not recorded, the one of the namespace's kind is taken
(instances replaced: RestartEnvironment; the app's environment: RestartApplicationServer).
Real EB knows more namespaces (rds, sqsd, elb listeners by port, ...): the simulator refuses
what it does not list, the stricter choice (a setting it would have to ignore is a lie).
"""

from __future__ import annotations

from dataclasses import dataclass

RESTART_ENV, RESTART_APP, NONE = "RestartEnvironment", "RestartApplicationServer", "NoInterruption"
BOOL = ("true", "false")
RETENTION = tuple(
    str(d) for d in (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)
)


@dataclass(frozen=True)
class Spec:
    """One option: ValueType Scalar or List, allowed values, an integer range, the default."""

    namespace: str
    name: str
    default: str | None = None
    values: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    severity: str = NONE
    value_type: str = "Scalar"


def _ns(namespace: str, severity: str, *rows: tuple[object, ...]) -> list[Spec]:
    specs = []
    for row in rows:
        name, default, rule = str(row[0]), row[1], row[2] if len(row) > 2 else None
        low = high = None
        values: tuple[str, ...] = ()
        if isinstance(rule, range):
            low, high = rule.start, rule.stop - 1
        elif isinstance(rule, tuple):
            values = rule
        kind = "List" if len(row) > 3 and row[3] == "List" else "Scalar"
        text = None if default is None else str(default)
        specs.append(Spec(namespace, name, text, values, low, high, severity, kind))
    return specs


SPECS: list[Spec] = [
    *_ns("aws:autoscaling:asg", NONE,
         ("Availability Zones", "Any", ("Any", "Any 1", "Any 2", "Any 3")),
         ("Cooldown", 360, range(0, 10001)),
         ("Custom Availability Zones", None, None, "List"),
         ("MinSize", 1, range(1, 10001)),
         ("MaxSize", 4, range(1, 10001))),
    *_ns("aws:autoscaling:launchconfiguration", RESTART_ENV,
         ("DisableIMDSv1", "false", BOOL),
         ("EC2KeyName", None),
         ("IamInstanceProfile", None),
         ("ImageId", None),
         ("InstanceType", "t3.micro"),
         ("MonitoringInterval", "5 minute", ("1 minute", "5 minute")),
         ("SecurityGroups", "elasticbeanstalk-default", None, "List"),
         ("SSHSourceRestriction", None),
         ("BlockDeviceMappings", None),
         ("RootVolumeType", None, ("standard", "gp2", "gp3", "io1")),
         ("RootVolumeSize", None, range(8, 16385)),
         ("RootVolumeIOPS", None, range(100, 20001))),
    *_ns("aws:autoscaling:scheduledaction", NONE,
         ("StartTime", None), ("EndTime", None), ("Recurrence", None),
         ("MaxSize", None, range(0, 10001)), ("MinSize", None, range(0, 10001)),
         ("DesiredCapacity", None, range(0, 10001)), ("Suspend", "false", BOOL)),
    *_ns("aws:autoscaling:trigger", NONE,
         ("BreachDuration", 5, range(1, 601)),
         ("LowerBreachScaleIncrement", -1),
         ("LowerThreshold", 2000000, range(0, 20000001)),
         ("MeasureName", "NetworkOut", ("CPUUtilization", "NetworkIn", "NetworkOut",
          "DiskWriteOps", "DiskReadBytes", "DiskReadOps", "DiskWriteBytes", "Latency",
          "RequestCount", "HealthyHostCount", "UnhealthyHostCount", "TargetResponseTime")),
         ("Period", 5, range(1, 601)),
         ("EvaluationPeriods", 1, range(1, 601)),
         ("Statistic", "Average", ("Minimum", "Maximum", "Sum", "Average")),
         ("Unit", "Bytes", ("Seconds", "Percent", "Bytes", "Bits", "Count", "Bytes/Second",
          "Bits/Second", "Count/Second", "None")),
         ("UpperBreachScaleIncrement", 1),
         ("UpperThreshold", 6000000, range(0, 20000001))),
    *_ns("aws:autoscaling:updatepolicy:rollingupdate", RESTART_ENV,
         ("MaxBatchSize", None, range(1, 10001)),
         ("MinInstancesInService", None, range(0, 10000)),
         ("RollingUpdateEnabled", "false", BOOL),
         ("RollingUpdateType", "Time", ("Time", "Health", "Immutable")),
         ("PauseTime", None), ("Timeout", "PT30M")),
    *_ns("aws:ec2:instances", RESTART_ENV,
         ("EnableSpot", "false", BOOL),
         ("InstanceTypes", "t3.micro,t3.small", None, "List"),
         ("SpotFleetOnDemandBase", 0, range(0, 10001)),
         ("SpotFleetOnDemandAboveBasePercentage", 70, range(0, 101)),
         ("SpotMaxPrice", None)),
    *_ns("aws:ec2:vpc", RESTART_ENV,
         ("VPCId", None), ("Subnets", None, None, "List"), ("ELBSubnets", None, None, "List"),
         ("ELBScheme", "public", ("public", "internal")), ("DBSubnets", None, None, "List"),
         ("AssociatePublicIpAddress", None, BOOL)),
    *_ns("aws:elasticbeanstalk:application", NONE, ("Application Healthcheck URL", "")),
    *_ns("aws:elasticbeanstalk:cloudwatch:logs", NONE,
         ("StreamLogs", "false", BOOL), ("DeleteOnTerminate", "false", BOOL),
         ("RetentionInDays", 7, RETENTION)),
    *_ns("aws:elasticbeanstalk:cloudwatch:logs:health", NONE,
         ("HealthStreamingEnabled", "false", BOOL), ("DeleteOnTerminate", "false", BOOL),
         ("RetentionInDays", 7, RETENTION)),
    *_ns("aws:elasticbeanstalk:command", NONE,
         ("DeploymentPolicy", "AllAtOnce", ("AllAtOnce", "Rolling",
          "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting")),
         ("Timeout", 600, range(1, 3601)),
         ("BatchSizeType", "Percentage", ("Percentage", "Fixed")),
         ("BatchSize", 100, range(1, 10001)),
         ("IgnoreHealthCheck", "false", BOOL)),
    *_ns("aws:elasticbeanstalk:environment", RESTART_ENV,
         ("EnvironmentType", "LoadBalanced", ("SingleInstance", "LoadBalanced")),
         ("ServiceRole", None),
         ("LoadBalancerType", "application", ("classic", "application", "network")),
         ("LoadBalancerIsShared", "false", BOOL)),
    *_ns("aws:elasticbeanstalk:environment:proxy", RESTART_APP,
         ("ProxyServer", "nginx", ("nginx", "none"))),
    *_ns("aws:elasticbeanstalk:healthreporting:system", RESTART_ENV,
         ("SystemType", "enhanced", ("basic", "enhanced")), ("ConfigDocument", None),
         ("HealthCheckSuccessThreshold", "Ok", ("Ok", "Warning", "Degraded", "Severe"))),
    *_ns("aws:elasticbeanstalk:hostmanager", NONE, ("LogPublicationControl", "false", BOOL)),
    *_ns("aws:elasticbeanstalk:managedactions", NONE,
         ("ManagedActionsEnabled", "true", BOOL), ("PreferredStartTime", None),
         ("ServiceRoleForManagedUpdates", None)),
    *_ns("aws:elasticbeanstalk:managedactions:platformupdate", NONE,
         ("UpdateLevel", None, ("patch", "minor")), ("InstanceRefreshEnabled", "false", BOOL)),
    *_ns("aws:elasticbeanstalk:sns:topics", NONE,
         ("Notification Endpoint", None),
         ("Notification Protocol", "email", ("http", "https", "email", "email-json", "sqs")),
         ("Notification Topic ARN", None), ("Notification Topic Name", None)),
    *_ns("aws:elasticbeanstalk:trafficsplitting", NONE,
         ("NewVersionPercent", 10, range(1, 101)), ("EvaluationTime", 5, range(3, 601))),
    *_ns("aws:elasticbeanstalk:xray", NONE, ("XRayEnabled", "false", BOOL)),
    *_ns("aws:elb:loadbalancer", NONE,
         ("CrossZone", "false", BOOL), ("SecurityGroups", None, None, "List"),
         ("ManagedSecurityGroup", None)),
    *_ns("aws:elb:policies", NONE,
         ("ConnectionDrainingEnabled", "false", BOOL),
         ("ConnectionDrainingTimeout", 20, range(1, 3601)),
         ("ConnectionSettingIdleTimeout", 60, range(1, 3601))),
    *_ns("aws:elbv2:loadbalancer", NONE,
         ("AccessLogsS3Enabled", "false", BOOL), ("IdleTimeout", 60, range(1, 3601)),
         ("SecurityGroups", None, None, "List"), ("SharedLoadBalancer", None)),
    *_ns("aws:elasticbeanstalk:container:python", RESTART_APP,
         ("WSGIPath", "application"), ("NumProcesses", 1, range(1, 10001)),
         ("NumThreads", 15, range(1, 10001))),
]  # fmt: skip

# aws:elasticbeanstalk:environment:process:default and any named process share these
# options ("aws:elasticbeanstalk:environment:process:process_name", the same table).
PROCESS = "aws:elasticbeanstalk:environment:process:"
PROCESS_SPECS = _ns(
    PROCESS + "default", NONE,
    ("DeregistrationDelay", 20, range(0, 3601)),
    ("HealthCheckInterval", 15, range(5, 301)),
    ("HealthCheckPath", "/"),
    ("HealthCheckTimeout", 5, range(1, 61)),
    ("HealthyThresholdCount", 3, range(2, 11)),
    ("MatcherHTTPCode", "200"),
    ("Port", 80, range(1, 65536)),
    ("Protocol", "HTTP", ("TCP", "HTTP", "HTTPS")),
    ("StickinessEnabled", "false", BOOL),
    ("StickinessLBCookieDuration", 86400, range(1, 604801)),
    ("StickinessType", "lb_cookie", ("lb_cookie",)),
    ("UnhealthyThresholdCount", 5, range(2, 11)),
)  # fmt: skip

# Namespaces whose option names are the user's own: environment properties ("Any environment
# variable name"), and the proxy's static file paths (names start with "/").
OPEN_NAMESPACES = {
    "aws:elasticbeanstalk:application:environment": RESTART_APP,
    "aws:elasticbeanstalk:environment:proxy:staticfiles": RESTART_APP,
}

BY_KEY: dict[tuple[str, str], Spec] = {(s.namespace, s.name): s for s in SPECS + PROCESS_SPECS}


def spec_of(namespace: str, name: str) -> Spec | None:
    """The option's spec: a named process takes the default process's."""
    if namespace.startswith(PROCESS) and len(namespace) > len(PROCESS):
        return BY_KEY.get((PROCESS + "default", name))
    return BY_KEY.get((namespace, name))
