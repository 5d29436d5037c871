from perisai.manage import main

main()
