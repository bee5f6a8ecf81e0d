"""`python -m bench mutation`: what it hands mutmut (the run itself is a report, too slow for the suite)."""
import configparser
from pathlib import Path

import pytest

from bench.mutation import MODULES, ROOT, config


@pytest.mark.parametrize("short", sorted(MODULES))
def test_each_module_and_its_tests_exist_and_only_it_is_mutated(short):
    path, tests = MODULES[short]
    assert (ROOT / path).is_file()
    missing = [t for t in tests if not (ROOT / t).is_file()]
    assert missing == [], f"{short}: test files renamed or gone: {missing}"
    parsed = configparser.ConfigParser()
    parsed.read_string(config(path, tests))
    section = parsed["mutmut"]
    assert section["only_mutate"] == path
    assert section["pytest_add_cli_args_test_selection"].split() == tests
    assert section["process_isolation"] == "forkserver"


def test_an_unknown_module_is_refused_with_the_choices(capsys):
    from argparse import Namespace

    from bench.mutation import main

    assert main(Namespace(modules=["detection"], keep=None, at=None)) == 2
    assert "unknown module(s) detection; choose from permissions, values" in capsys.readouterr().err
    assert not list(Path("/tmp").glob("mutation-matching-*"))
