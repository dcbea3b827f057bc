"""`canarykit analyze` against a real server echoing the credentials it gets: none reaches its output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_http import ScriptedHandler, ScriptedServer

TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: echo
spec:
  args:
    - name: token
  metrics:
    - name: echo
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://prometheus.invalid:9090
          query: up
          headers:
            - key: X-Token
              value: "{{args.token}}"
"""
PAIRS = [("~", "zq"), ("s3cr3t-long-password", "Qz7")]


def echo_everything(handler: ScriptedHandler) -> None:
    """Warnings quoting the credentials seen, then (second request) a 422 API error quoting them again."""
    seen = f"Authorization={handler.headers.get('Authorization')} X-Token={handler.headers.get('X-Token')}"
    if len(handler.server.requests) == 1:
        vector = {"resultType": "vector", "result": [{"metric": {}, "value": [1, "1"]}]}
        body = {"status": "success", "data": vector, "warnings": [f"proxy saw {seen}"]}
        handler.send_all(json.dumps(body).encode())
    else:
        handler.send_all(json.dumps({"status": "error", "error": f"refused {seen}"}).encode(), status=422)


def analyze(template: Path, address: str, token: str, *options: str) -> str:
    command = [sys.executable, "-m", "canarykit", "-v", "analyze", "-f", str(template)]
    command += ["--arg", f"token={token}", "--prometheus", address, "--once", *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


@pytest.mark.parametrize(("password", "token"), PAIRS)
def test_analyze_output_hides_user_info_and_header_secrets(tmp_path: Path, password: str, token: str) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    with ScriptedServer(echo_everything) as server:
        address = server.url.replace("http://", f"http://admin:{password}@")
        shown = [analyze(template, address, token, "--output", "json"), analyze(template, address, token)]
    assert "proxy saw Authorization=*** X-Token=***" in shown[0]  # the warnings came back, redacted
    assert "refused Authorization=*** X-Token=***" in shown[1]  # so did the error
    for output in shown:
        assert password not in output and token not in output
    assert [request["headers"]["X-Token"] for request in server.requests] == [token, token]
