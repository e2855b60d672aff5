from sla_cli.console import main

main()
