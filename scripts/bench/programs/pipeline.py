print(sum(map(lambda x: x * 2, filter(lambda x: x % 3 == 0, range(3_000_000)))))
