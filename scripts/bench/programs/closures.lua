local function scale(k) return function(x) return x * k end end
local triple = scale(3)
local limit = 1000
local function map(f, xs) local out = {} for i = 1, #xs do out[i] = f(xs[i]) end return out end
local function filter(f, xs) local out = {} for i = 1, #xs do if f(xs[i]) then out[#out + 1] = xs[i] end end return out end
local xs = {}
for i = 0, 2999999 do xs[i + 1] = i end
local ys = map(function(x) return x + limit end, filter(function(x) return x % limit < 500 end, map(triple, xs)))
local s = 0
for i = 1, #ys do s = s + ys[i] end
print(s)
