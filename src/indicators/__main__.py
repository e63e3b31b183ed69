from indicators.cli import main

main()
