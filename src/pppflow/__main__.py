from pppflow.cli.app import main

main()
