from deskhand.surfaces.cli.main import main

main()
