-- erase: ARGV prefix, conversation id. Forgets the conversation, its messages and token.
local prefix, conv = ARGV[1], ARGV[2]
local ckey = prefix .. 'conv:' .. conv
local token = redis.call('HGET', ckey, 'token')
if token and redis.call('GET', prefix .. 'token:' .. token) == conv then
  redis.call('DEL', prefix .. 'token:' .. token)
end
redis.call('DEL', ckey, prefix .. 'msgs:' .. conv, prefix .. 'msgclient:' .. conv)
redis.call('LREM', prefix .. 'queue', 0, conv)
return 1
