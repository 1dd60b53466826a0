print(len([f"post {i} by user{i % 1000} in #PostToWinLaunchpadKDK" for i in range(200_000)]))
