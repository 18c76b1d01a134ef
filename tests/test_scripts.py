"""The setup scripts' own promises: find Python 3.7 or say how to get it; sum the test run."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, env=None):
    return subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)


def test_find_python_uses_pythonpath_override():
    env = dict(os.environ, PYTHON37=sys.executable)
    result = run(["bash", "scripts/find-python.sh"], env)
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert subprocess.check_output([found, "-c", "import sys; print(sys.version_info[:2])"],
                                   universal_newlines=True).strip() == "(3, 7)"


def test_find_python_without_any_python37_says_how_to_install():
    env = {"PATH": "/nonexistent", "HOME": "/nonexistent"}
    result = run(["/bin/bash", "scripts/find-python.sh"], env)
    assert result.returncode == 1
    assert "Python 3.7 not found" in result.stderr
    assert "pyenv install 3.7" in result.stderr and "uv python install 3.7" in result.stderr


def test_find_python_refuses_another_version(tmp_path):
    fake = tmp_path / "python3.7"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    env = {"PATH": str(tmp_path), "HOME": "/nonexistent", "PYTHON37": str(fake)}
    result = run(["/bin/bash", "scripts/find-python.sh"], env)
    assert result.returncode == 1


def test_sum_results_closing_line(tmp_path):
    ok = tmp_path / "a.xml"
    ok.write_text('<testsuites><testsuite tests="5" failures="0" errors="0" skipped="1"/>'
                  '</testsuites>')
    bad = tmp_path / "b.xml"
    bad.write_text('<testsuite tests="3" failures="1" errors="1" skipped="0"/>')
    result = run([sys.executable, "scripts/sum_results.py", str(ok), str(bad)])
    assert result.stdout.strip().splitlines()[-1] == "5 passed, 2 failed, 1 skipped"
    assert result.returncode == 1
    result = run([sys.executable, "scripts/sum_results.py", str(ok)])
    assert (result.stdout.strip(), result.returncode) == ("4 passed, 0 failed, 1 skipped", 0)
    result = run([sys.executable, "scripts/sum_results.py", str(tmp_path / "missing.xml")])
    assert result.returncode == 1


def test_every_benchmark_starts():
    """`make bench` runs each bench/bench_*.py on a fresh database, outside CI: each must at
    least load and parse its command line here (an import of the addon at module level,
    before Odoo's configuration has put the addons on the path, broke four of them)."""
    benches = sorted(name for name in os.listdir(os.path.join(ROOT, "bench"))
                     if name.startswith("bench_") and name.endswith(".py"))
    assert len(benches) >= 10
    env = {key: value for key, value in os.environ.items()
           if key not in ("HOST", "PORT", "USER", "PASSWORD")}
    for name in benches:
        result = run([sys.executable, os.path.join("bench", name), "--help"], env)
        assert result.returncode == 0, (name, result.stderr[-2000:])
        assert "usage:" in result.stdout, name
