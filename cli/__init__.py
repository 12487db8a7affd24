"""The `diplograph` command line: one module per subcommand, registered lazily in main.py."""
