"""Prepares a moto server for powertune's SigV4/IAM tests, then turns IAM enforcement on.

Usage: moto_setup.py ENDPOINT [--without ACTION]...
Prints one JSON line: temporary credentials (from moto's STS AssumeRole) for a role allowed
every action the tuner uses except those given with --without, and the function's ARN.
"""
import io
import json
import sys
import time
import urllib.error
import urllib.request
import zipfile

import boto3

endpoint = sys.argv[1]
without = {sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--without"}


def post(path, body, content_type="application/json"):
    req = urllib.request.Request(endpoint + path, data=body.encode(), method="POST", headers={"Content-Type": content_type})
    urllib.request.urlopen(req).read()


# Invoke without Docker: moto echoes the payload. The server may accept connections a moment
# before it answers them, so the first request is retried for up to 20 s.
deadline = time.monotonic() + 20
while True:
    try:
        post("/moto-api/config", json.dumps({"lambda": {"use_docker": False}}))
        break
    except (urllib.error.URLError, ConnectionError):
        if time.monotonic() > deadline:
            raise
        time.sleep(0.2)

admin = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="admin-secret")
iam = boto3.client("iam", **admin)
trust = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com", "AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}],
}
exec_role = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return event\n")
fn = boto3.client("lambda", **admin).create_function(
    FunctionName="tuned", Runtime="python3.12", Role=exec_role, Handler="index.handler", Code={"ZipFile": code.getvalue()}, MemorySize=1024
)

s3 = boto3.client("s3", **admin)
s3.create_bucket(Bucket="payloads")
weighted = [{"payload": {"kind": "small"}, "weight": 3}, {"payload": {"kind": "large"}, "weight": 1}]
s3.put_object(Bucket="payloads", Key="dir/weighted.json", Body=json.dumps(weighted).encode())
s3.put_object(Bucket="payloads", Key="plain.txt", Body=b"just a string")
s3.put_object(Bucket="payloads", Key="big.bin", Body=b"x" * (7 * 1024 * 1024))

# The function's traffic: two days of Invocations within the last 30 days, and one older day
# that a 30-day sum must leave out.
import datetime
now = datetime.datetime.now(datetime.timezone.utc)
cloudwatch = boto3.client("cloudwatch", **admin)
for days_ago, count in [(2, 1_000_000.0), (10, 250.0), (45, 7_000.0)]:
    cloudwatch.put_metric_data(Namespace="AWS/Lambda", MetricData=[{
        "MetricName": "Invocations", "Dimensions": [{"Name": "FunctionName", "Value": "tuned"}],
        "Timestamp": now - datetime.timedelta(days=days_ago), "Value": count, "Unit": "Count"}])

# moto checks Invoke as lambda:Invoke and GetMetricStatistics as monitoring:…; real IAM calls them
# lambda:InvokeFunction and cloudwatch:GetMetricStatistics. Both names are granted (and withheld).
actions = [
    "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion", "lambda:GetAlias",
    "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias", "lambda:DeleteFunction", "lambda:InvokeFunction", "lambda:Invoke",
    "s3:GetObject", "s3:ListBucket", "cloudwatch:GetMetricStatistics", "monitoring:GetMetricStatistics",
]
moto_names = {"lambda:InvokeFunction": "lambda:Invoke", "cloudwatch:GetMetricStatistics": "monitoring:GetMetricStatistics"}
without |= {moto_names[a] for a in list(without) if a in moto_names}
allowed = [a for a in actions if a not in without]
tuner = iam.create_role(RoleName="tuner", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
# moto denies resource-scoped statements, so the resource is "*" here.
iam.put_role_policy(RoleName="tuner", PolicyName="tune", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allowed, "Resource": "*"}]}))
creds = boto3.client("sts", **admin).assume_role(RoleArn=tuner, RoleSessionName="powertune-test")["Credentials"]

# From here on every request must be signed by known credentials and allowed by IAM.
post("/moto-api/reset-auth", "0", "text/plain")
print(json.dumps({
    "accessKeyId": creds["AccessKeyId"],
    "secretAccessKey": creds["SecretAccessKey"],
    "sessionToken": creds["SessionToken"],
    "functionArn": fn["FunctionArn"],
}), flush=True)
