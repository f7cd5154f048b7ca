-- ack_alert: ARGV prefix, alert id, now. Removes the alert; returns its JSON if it was
-- open at `now`, else nil. One script, so exactly one caller ever gets an alert.
local prefix, id = ARGV[1], ARGV[2]
local zkey, akey = prefix .. 'alerts', prefix .. 'alert:' .. id
local expires = redis.call('ZSCORE', zkey, id)
local raw = redis.call('GET', akey)
redis.call('ZREM', zkey, id)
redis.call('DEL', akey)
if not expires or not raw or tonumber(expires) <= tonumber(ARGV[3]) then
  return false
end
return raw
