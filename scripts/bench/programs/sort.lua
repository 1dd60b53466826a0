local xs = {}
for i = 0, 299999 do xs[#xs + 1] = (i * 7919) % 300007 end
table.sort(xs)
print(xs[150001])
