from sla_cli.cli.app import main

main()
