let n = 200_000 + CommandLine.arguments.count - 1
print((0..<n).map { "post \($0) by user\($0 % 1000) in #PostToWinLaunchpadKDK" }.count)
