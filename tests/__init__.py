"""Diplograph test suite: a package, so tests share helpers (`from tests.conftest import`)."""
