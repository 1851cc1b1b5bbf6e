print("onestop")
