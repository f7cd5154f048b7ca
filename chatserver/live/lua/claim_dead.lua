-- claim_dead: ARGV prefix, now, content TTL in ms. For every process whose heartbeat in
-- 'processes' expired at or before now: remove it (so exactly one caller claims it),
-- subtract the visitor and console connections it had counted (availability is kept: the
-- caller ends it after the reconnect grace), and forget its shares. Its conversations'
-- content TTL is renewed: nobody renewed it since the process died, and their grace
-- starts now. Returns {{process, {conversations now at 0}, {experts now at 0}}, ...}.
local prefix = ARGV[1]
local zkey = prefix .. 'processes'
local released = {}
for _, pid in ipairs(redis.call('ZRANGEBYSCORE', zkey, '-inf', ARGV[2])) do
  redis.call('ZREM', zkey, pid)
  local convs, experts = {}, {}
  local vkey = prefix .. 'proc_visitors:' .. pid
  local shares = redis.call('HGETALL', vkey)
  for i = 1, #shares, 2 do
    local ckey = prefix .. 'conv:' .. shares[i]
    local visitors = redis.call('HGET', ckey, 'visitors')
    if visitors then
      renew_content(prefix, shares[i], ARGV[3])
      local left = math.max(0, tonumber(visitors) - tonumber(shares[i + 1]))
      redis.call('HSET', ckey, 'visitors', left)
      if left == 0 then
        table.insert(convs, shares[i])
      end
    end
  end
  local xkey = prefix .. 'proc_experts:' .. pid
  shares = redis.call('HGETALL', xkey)
  for i = 1, #shares, 2 do
    local ekey = prefix .. 'expert:' .. shares[i]
    local conns = redis.call('HGET', ekey, 'conns')
    if conns then
      local left = math.max(0, tonumber(conns) - tonumber(shares[i + 1]))
      redis.call('HSET', ekey, 'conns', left)
      if left == 0 then
        table.insert(experts, shares[i])
      end
    end
  end
  redis.call('DEL', vkey, xkey)
  table.insert(released, {pid, convs, experts})
end
return released
