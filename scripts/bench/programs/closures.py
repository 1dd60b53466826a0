def scale(k):
    return lambda x: x * k
triple = scale(3)
limit = 1_000
print(sum(map(lambda x: x + limit, filter(lambda x: x % limit < 500, map(triple, range(3_000_000))))))
