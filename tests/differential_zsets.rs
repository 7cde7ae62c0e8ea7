//! Differential test of the sorted-set commands against a real
//! `redis-server` 7.0. Sorted sets are ordered by (score, member), so
//! nearly every reply is compared byte for byte; the exceptions are marked
//! (see `tests/unordered/mod.rs`): ZSCAN of a set too big for a listpack
//! walks a hash table, and a set used as an input is a hash table too.
//!
//! Scores are where most differences would hide: how `1e3`, `0x10`, ` 1`,
//! `inf` and `nan` read, how `0.1`, `1e21`, `-0` and 17 digits print, and
//! how a listpack (a sorted set of at most 128 members of at most 64 bytes)
//! stores them, so most cases are about them.
//!
//! Needs `redis-server` on the PATH (Debian: `apt-get install redis-server`);
//! without it the tests say so loudly and pass, except under CI.

//@ passes from step 5

mod common;
mod unordered;

use unordered::{assert_same_as_redis_unordered, run_stream, seed, Order, Rng};

#[rustfmt::skip]
const CASES: &[&[&str]] = &[
    // ZADD: options, conflicts, and the order of the checks.
    &["zadd z 1 a 2 b 3 c", "zrange z 0 -1 withscores", "zadd z 1 a", "zadd z 5 a", "zscore z a"],
    &["zadd z nx xx 1 a"], &["zadd z gt lt 1 a"], &["zadd z gt nx 1 a"], &["zadd z lt nx 1 a"],
    &["zadd z nx xx gt 1 a"], &["zadd z incr 1 a 2 b"], &["zadd z incr nx xx 1 a 2 b"],
    &["zadd z 1"], &["zadd z nx"], &["zadd z 1 a 2"], &["zadd z nx 1"], &["zadd z ch"],
    &["zadd z abc a"], &["zadd z 1 a x b"], &["zadd z nx xx abc a"], &["zadd z incr x a"],
    &["set k v", "zadd k 1 a", "zadd k x a", "zadd k nx xx 1 a", "zadd k xx 1 a"],
    &["zadd z xx 1 a", "exists z", "zadd z xx incr 1 a", "exists z", "zadd z nx 1 a", "zadd z nx 2 a", "zscore z a"],
    &["zadd z 1 a 2 b", "zadd z ch 1 a 3 b 4 c", "zadd z ch xx 9 a 9 d", "zrange z 0 -1 withscores"],
    &["zadd z 5 a", "zadd z gt 3 a", "zadd z gt ch 7 a", "zadd z lt ch 9 a", "zadd z lt 1 a", "zscore z a", "zadd z gt 1 new", "zscore z new"],
    &["zadd z 5 a", "zadd z xx gt ch 6 a 1 b", "zadd z xx lt ch 2 a", "zrange z 0 -1 withscores"],
    &["zadd z NX Ch 1 a", "zadd z XX INCR 2 a", "zadd z Incr 2 a", "zadd z GT INCR -1 a", "zadd z LT INCR -1 a"],
    &["zadd z incr 1 a", "zadd z incr nx 1 a", "zadd z incr xx 1 nope", "zadd z incr gt -5 a", "zscore z a"],
    &["zadd z 1 a 1 a 2 a", "zscore z a", "zcard z"],
    // ZINCRBY: ZADD with INCR, even in what it accepts.
    &["zincrby z 1 a", "zincrby z 1.5 a", "zincrby z -0.5 a", "zscore z a", "zincrby z x a", "zincrby z nx a"],
    &["zincrby z inf a", "zincrby z -inf a", "zscore z a", "zincrby z +inf a", "zincrby z 1 a"],
    &["zincrby z 0.1 a", "zincrby z 0.2 a", "zscore z a", "zincrby z 1e308 b", "zincrby z 1e308 b"],
    &["zincrby z -0 m", "zscore z m", "zadd z incr -0 n", "zscore z n"],
    &["zincrby z 1"], &["zincrby z 1 a b"], &["set k v", "zincrby k 1 a"],
    // How scores read (strtod): accepted and refused.
    &["zadd z 1e3 a 1E-2 b .5 c 5. d +7 e -inf f +inf g inf h -Infinity i 0x10 j 0X1P3 k 0e999 l 1e-310 m", "zrange z 0 -1 withscores"],
    &["zadd z nan a"], &["zadd z -nan a"], &["zadd z NaN a"], &["zadd z 1e400 a"], &["zadd z -1e400 a"], &["zadd z 1e-400 a"],
    &["zadd z \" 1\" a"], &["zadd z \"1 \" a"], &["zadd z \"\" a"], &["zadd z 1e a"], &["zadd z 0x a"], &["zadd z \"1\\x00\" a"],
    &["zadd z (1 a"], &["zadd z 1.2.3 a"], &["zadd z infinit a"], &["zadd z - a"], &["zadd z . a"],
    // How scores print (%.17g), in RESP2 and RESP3.
    &["zadd z 0.1 a 1e21 b 123456789012345678 c 3.14159 d 1e-5 e 100 f 1e17 g 1e16 h -2.5 i 0.0001 j", "zrange z 0 -1 withscores", "zscore z a", "zmscore z a b c d e nope"],
    &["hello 3", "zadd z 0.1 a 1e21 b 123456789012345678 c -0.5 d inf e -inf f", "zrange z 0 -1 withscores", "zscore z a", "zscore z e", "zmscore z a f nope", "zincrby z 1 d"],
    &["zadd z 4611686018427387904 a 4611686018427387905 b 9223372036854775807 c -9007199254740993 d", "zrange z 0 -1 withscores", "zscan z 0"],
    &["zadd z 5e-324 a 2.2250738585072014e-308 b 1.7976931348623157e308 c", "zrange z 0 -1 withscores", "zscan z 0"],
    // -0: a listpack stores it as 0.
    &["zadd z -0 a", "zscore z a", "zadd z 0 b -0 c", "zrange z 0 -1 withscores", "zscan z 0"],
    &["zadd z 1 a", "zadd z -0 a", "zscore z a", "zadd z 0 a", "zscore z a"],
    // ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREVRANK.
    &["zadd z 1 a 2 b 3 c", "zcard z", "zrank z a", "zrank z c", "zrevrank z a", "zrevrank z c", "zrank z x", "zrevrank z x"],
    &["zcard nokey", "zscore nokey a", "zmscore nokey a b", "zrank nokey a", "zrevrank nokey a"],
    &["set k v", "zcard k", "zscore k a", "zmscore k a", "zrank k a", "zrevrank k a"],
    &["zscore z"], &["zmscore z"], &["zrank z"], &["zrank z a b"], &["zcard"],
    &["hello 3", "zadd z 1 a", "zscore z a", "zscore z x", "zmscore z a x", "zrank z a", "zrank z x", "zscore nokey a"],
    // ZREM.
    &["zadd z 1 a 2 b 3 c", "zrem z a x a", "zrange z 0 -1", "zrem z b c", "exists z", "zrem z b", "zrem nokey a"],
    &["set k v", "zrem k a"], &["zrem z"],
    // ZRANGE by rank.
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zrange z 0 -1", "zrange z 1 3 withscores", "zrange z -2 -1", "zrange z 3 1", "zrange z 0 100", "zrange z -100 1", "zrange z 5 10", "zrange z -1 -100"],
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zrange z 0 -1 rev", "zrange z 0 1 rev withscores", "zrange z -2 -1 rev", "zrange z 1 1 REV WITHSCORES"],
    &["zadd z 1 a", "zrange z 0 -1 limit 0 1"], &["zrange z 0 -1 foo"], &["zrange z 0 -1 limit 1"], &["zrange z 0 -1 limit x 1"],
    &["zrange z a b"], &["zrange z 0 b"], &["zrange z 0 -1 byscore bylex"], &["zrange z 0 -1 rev rev"], &["zrange z 0 -1 bylex byscore"],
    &["zrange z 0 -1 withscores bylex"], &["zrange z 0 -1 bylex limit 0 1 withscores"], &["zrange z 0 -1 limit 0 1 x"], &["zrange z 0"],
    &["zrange nokey 0 -1", "zrange nokey 0 -1 withscores", "zrange nokey 0 1 byscore", "zrange nokey - + bylex"],
    &["set k v", "zrange k 0 -1", "zrange k a b", "zrange k 0 -1 byscore"],
    &["zadd z 1 a 2 b 3 c", "zrange z 0 9223372036854775807", "zrange z -9223372036854775808 0", "zrange z 9223372036854775808 0"],
    // By score: exclusive bounds, infinities, LIMIT (negative count: all; negative offset: none).
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zrange z (1 4 byscore", "zrange z 4 (1 byscore rev", "zrange z -inf +inf byscore limit 1 2", "zrange z -inf +inf byscore limit 1 -1", "zrange z -inf +inf byscore limit -1 2", "zrange z -inf +inf byscore limit 0 0"],
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zrangebyscore z 1 3", "zrangebyscore z 1 3 withscores limit 1 5", "zrangebyscore z (1 (3", "zrangebyscore z (3 (3", "zrangebyscore z 3 3", "zrangebyscore z 3 1", "zrangebyscore z -inf (2", "zrangebyscore z (4 +inf withscores"],
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zrevrangebyscore z 3 1", "zrevrangebyscore z 1 3", "zrevrangebyscore z +inf -inf withscores limit 2 2", "zrevrangebyscore z (5 (1", "zrevrangebyscore z +inf -inf limit 5 1", "zrevrangebyscore z +inf -inf limit 4 10"],
    &["zadd z 1 a 2 b 3 c", "zrangebyscore z \"\" +inf", "zrangebyscore z ( +inf", "zrangebyscore z \"(\" \"(3\"", "zrangebyscore z 1e400 +inf", "zrangebyscore z -1e400 (1e400", "zrangebyscore z 0x0 0x2", "zrangebyscore z \" 1\" \" 2\"", "zrangebyscore z \"2\\x00x\" 3"],
    &["zadd z -inf a 0 b inf c", "zrangebyscore z -inf -inf", "zrangebyscore z (-inf +inf", "zrangebyscore z (inf +inf", "zrangebyscore z inf inf", "zrangebyscore z -inf +inf withscores"],
    &["zrangebyscore z nan 1"], &["zrangebyscore z 1 nan"], &["zrangebyscore z ((1 2"], &["zrangebyscore z 1 x"], &["zrangebyscore z 1 \"1 \""],
    &["zrangebyscore z 1 2 rev"], &["zrangebyscore z 1 2 byscore"], &["zrangebyscore z 1 2 bylex"], &["zrangebyscore z 1 2 limit 1"], &["zrangebyscore z 1 2 limit a b"],
    &["zrevrangebyscore z 1 2 withscores limit 0 1 foo"], &["zrangebyscore nokey -inf +inf", "zrevrangebyscore nokey +inf -inf"],
    // ZREVRANGE.
    &["zadd z 1 a 2 b 3 c", "zrevrange z 0 1", "zrevrange z 0 -1 withscores", "zrevrange z -1 -1", "zrevrange z 1 0"],
    &["zrevrange z 0 1 limit 0 1"], &["zrevrange z 0 1 rev"], &["zrevrange z 0 1 byscore"], &["zrevrange z a 1"],
    // By lex, on equal scores.
    &["zadd z 0 a 0 b 0 c 0 d 0 e", "zrangebylex z - +", "zrangebylex z [b [d", "zrangebylex z (b (d", "zrangebylex z (b +", "zrangebylex z - (c", "zrangebylex z - + limit 1 2", "zrangebylex z - + limit 2 -1", "zrangebylex z - + limit -1 1"],
    &["zadd z 0 a 0 b 0 c 0 d 0 e", "zrevrangebylex z + -", "zrevrangebylex z [d [b", "zrevrangebylex z (d (b", "zrevrangebylex z + - limit 1 2", "zrange z [d [b bylex rev", "zrange z (a [c bylex"],
    &["zadd z 0 a 0 b", "zrangebylex z (a (a", "zrangebylex z [a [a", "zrangebylex z - -", "zrangebylex z + +", "zrangebylex z + -", "zrangebylex z [ +", "zrangebylex z ( +", "zrangebylex z - [", "zrangebylex z [b [a"],
    &["zadd z 0 \"\" 0 a 0 ab 0 b", "zrangebylex z [ [a", "zrangebylex z ( [ab", "zrangebylex z [a (b", "zlexcount z [a [b", "zlexcount z - +"],
    &["zrangebylex z a b"], &["zrangebylex z [a b"], &["zrangebylex z +a +"], &["zrangebylex z - +x"], &["zrangebylex z \"\" +"],
    &["zrangebylex z - + withscores"], &["zrangebylex z - + rev"], &["zrangebylex z - + limit 0"], &["zrevrangebylex z - + limit 0 1 foo"],
    &["set k v", "zrangebylex k - +", "zrangebylex k a b"], &["zrangebylex nokey - +"],
    // By lex on mixed scores: a listpack reads from one end, as Redis does.
    &["zadd w 1 b 2 a 0 d 5 c", "zrangebylex w - +", "zrangebylex w [a [c", "zrangebylex w (a [d", "zrevrangebylex w [d (a", "zrevrangebylex w + - limit 1 2", "zrangebylex w [b + limit 1 10", "zlexcount w [a [c", "zlexcount w - +", "zremrangebylex w [b [c", "zrange w 0 -1"],
    &["zadd w 3 a 1 c 2 b", "zrangebylex w [a [b", "zrevrangebylex w [c [a", "zlexcount w [b [c", "zremrangebylex w (a +", "zrange w 0 -1 withscores"],
    // ZCOUNT, ZLEXCOUNT.
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zcount z -inf +inf", "zcount z (1 (5", "zcount z 5 1", "zcount z 3 3", "zcount z (3 3", "zcount z 6 +inf", "zcount nokey 0 1"],
    &["zcount z x 1"], &["zcount z 1 nan"], &["zcount z 1"], &["set k v", "zcount k 0 1", "zcount k x 1"],
    &["zadd z 0 a 0 b 0 c", "zlexcount z - +", "zlexcount z [b (d", "zlexcount z (a (b", "zlexcount z + -", "zlexcount nokey - +"],
    &["zlexcount z x y"], &["zlexcount z - x"], &["set k v", "zlexcount k - +", "zlexcount k x y"],
    // ZRANGESTORE.
    &["zadd z 1 a 2 b 3 c 4 d", "zrangestore d z 0 1", "zrange d 0 -1 withscores", "zrangestore d z 5 1 byscore", "exists d"],
    &["zadd z 1 a 2 b 3 c", "zrangestore d nokey 0 -1", "exists d", "set d x", "zrangestore d nokey 0 -1", "exists d"],
    &["zadd z 1 a 2 b 3 c", "zrangestore d z 0 -1 withscores"], &["zrangestore d z 0"], &["zrangestore d z 0 -1 foo"],
    &["zadd z 1 a 2 b 3 c", "zrangestore d z (1 +inf byscore limit 0 1", "zrange d 0 -1 withscores", "zrangestore d z + [b bylex rev", "zrange d 0 -1", "zrangestore d z 0 0 rev", "zrange d 0 -1"],
    &["zadd z 1 a", "set s x", "expire s 100", "zrangestore s z 0 0", "type s", "ttl s"],
    &["set k v", "zrangestore d k 0 -1", "zadd z 1 a", "zrangestore k z 0 -1", "type k"],
    &["zadd z -0 a", "zrangestore d z 0 -1", "zscore d a"],
    // ZPOPMIN, ZPOPMAX.
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zpopmin z", "zpopmin z 2", "zpopmax z", "zpopmax z 5", "exists z", "zpopmin z", "zpopmin z 3"],
    &["zadd z 1 a", "zpopmin z 0", "zpopmax z 0", "zcard z"],
    &["zpopmin nokey", "zpopmin nokey 0", "zpopmax nokey 2"],
    &["zpopmin z -1"], &["zpopmin z x"], &["zpopmin z 1 2"], &["zpopmax z 1.5"], &["zpopmin"],
    &["set k v", "zpopmin k", "zpopmax k 2", "zpopmin k 0"],
    &["hello 3", "zadd z 1 a 2 b 3 c 4 d", "zpopmin z", "zpopmin z 2", "zpopmax z 1", "zpopmax nokey", "zpopmax nokey 1"],
    // ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX.
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zremrangebyrank z 0 0", "zremrangebyrank z -1 -1", "zremrangebyrank z 5 1", "zrange z 0 -1", "zremrangebyrank z 0 -1", "exists z", "zremrangebyrank nokey 0 1"],
    &["zadd z 1 a 2 b 3 c 4 d 5 e", "zremrangebyscore z (2 3", "zremrangebyscore z 10 20", "zremrangebyscore z -inf (2", "zrange z 0 -1", "zremrangebyscore z -inf +inf", "exists z"],
    &["zadd z 0 a 0 b 0 c 0 d", "zremrangebylex z [b [b", "zremrangebylex z (a (d", "zrange z 0 -1", "zremrangebylex z - +", "exists z"],
    &["zremrangebyrank z x 1"], &["zremrangebyrank z 0 1.5"], &["zremrangebyscore z x 3"], &["zremrangebylex z x y"], &["zremrangebyscore z 1"],
    &["set k v", "zremrangebyrank k 0 1", "zremrangebyscore k 0 1", "zremrangebylex k - +", "zremrangebyrank k x 1"],
    // ZUNIONSTORE, ZINTERSTORE: weights, aggregates, sets as inputs.
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y 20 z 30 w", "zunionstore d 2 a b", "zrange d 0 -1 withscores", "zinterstore d 2 a b", "zrange d 0 -1 withscores"],
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y 20 z 30 w", "zunionstore d 2 a b weights 2 -1", "zrange d 0 -1 withscores", "zunionstore d 2 a b aggregate min", "zrange d 0 -1 withscores", "zunionstore d 2 a b aggregate max", "zrange d 0 -1 withscores"],
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y 20 z 30 w", "zinterstore d 2 a b aggregate max weights 2 0.5", "zrange d 0 -1 withscores", "zinterstore d 2 a b WEIGHTS 1 1 AGGREGATE MIN AGGREGATE SUM", "zrange d 0 -1 withscores"],
    &["zadd a 1 x 2 y", "sadd s y q 5", "zunionstore d 2 a s", "zrange d 0 -1 withscores", "zinterstore d 2 a s weights 1 10", "zrange d 0 -1 withscores"],
    &["sadd s1 1 2 3", "sadd s2 2 3 4", "zunionstore d 2 s1 s2", "zrange d 0 -1 withscores", "zinterstore d 2 s1 s2", "zrange d 0 -1 withscores"],
    &["zadd a 1 x", "zunionstore d 3 a nokey a", "zrange d 0 -1 withscores", "zinterstore d 2 a nokey", "exists d", "zinterstore d 1 a", "zrange d 0 -1 withscores"],
    &["zadd inf1 inf m", "zadd inf2 -inf m", "zunionstore d 2 inf1 inf2", "zscore d m", "zunionstore d 2 inf1 inf2 weights 0 1", "zscore d m", "zinterstore d 2 inf1 inf2 weights 0 0", "zscore d m", "zinterstore d 2 inf1 inf2 aggregate min", "zscore d m"],
    &["zadd a 1 x", "set d v", "expire d 100", "zunionstore d 1 a", "type d", "ttl d"],
    &["zunionstore d 0 a"], &["zunionstore d -1 a"], &["zunionstore d x a"], &["zunionstore d 3 a b"], &["zunionstore d 9223372036854775808 a"],
    &["zunionstore d 2 a b weights 1"], &["zunionstore d 2 a b weights 1 x"], &["zunionstore d 2 a b weights 1 nan"], &["zunionstore d 2 a b aggregate foo"],
    &["zunionstore d 2 a b withscores"], &["zunionstore d 2 a b aggregate"], &["zunionstore d 2 a b foo"], &["zinterstore d 1 a limit 1"],
    &["set str v", "zunionstore d 2 nokey str weights x", "zinterstore d 2 str nokey", "zunionstore d 1 str"],
    &["zadd a 1 x", "zunionstore d 1 a weights 2 aggregate max weights 3", "zscore d x"],
    &["zunionstore d"], &["zunionstore d 1"], &["zinterstore d"],
    // ZUNION, ZINTER, ZDIFF, ZDIFFSTORE, ZINTERCARD.
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y 20 z 30 w", "zunion 2 a b", "zunion 2 a b withscores", "zinter 2 a b withscores", "zdiff 2 a b withscores", "zdiff 2 b a"],
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y", "zdiffstore d 2 a b", "zrange d 0 -1 withscores", "zdiffstore d 2 a a", "exists d", "zdiff 1 a weights 1", "zdiff 1 a aggregate sum"],
    &["zadd a 1 x 2 y 3 z", "zadd b 10 y 20 z", "zintercard 2 a b", "zintercard 2 a b limit 1", "zintercard 2 a b limit 0", "zintercard 2 a nokey"],
    &["zintercard 2 a b limit -1"], &["zintercard 0 a"], &["zintercard 2 a b withscores"], &["zunion 1 a limit 1"], &["zinter 0 a"], &["zdiff x a"],
    &["hello 3", "zadd a 1 x 2 y", "zadd b 3 y", "zunion 2 a b withscores", "zinter 2 a b", "zdiff 2 a b withscores"],
    &["zadd big -0 q", "zunion 1 big withscores", "zunionstore d 1 big", "zscore d q"],
    // ZRANDMEMBER: everything but the random choice.
    &["zrandmember nokey", "zrandmember nokey 5", "zrandmember nokey -5 withscores"],
    &["zadd a 1 x 2 y 3 z", "zrandmember a 10", "zrandmember a 10 withscores", "zrandmember a 3", "zrandmember a 0", "zrandmember a 0 withscores"],
    &["zadd a 7 x", "zrandmember a", "zrandmember a 1", "zrandmember a -3 withscores", "zrandmember a 1 WITHSCORES"],
    &["zrandmember a 1 foo"], &["zrandmember a 1 withscores x"], &["zrandmember a 9223372036854775807 withscores"],
    &["zrandmember a -9223372036854775807 withscores"], &["zrandmember a -9223372036854775808"], &["zrandmember a x"], &["zrandmember a x y"],
    &["set k v", "zrandmember k", "zrandmember k 1", "zrandmember k x"],
    &["hello 3", "zadd a 1 x 2 y", "zrandmember a 5 withscores", "zrandmember a 5"],
    // ZSCAN: a listpack answers whole, scores as stored.
    &["zadd z 1 a 2.5 b 123456789012345678 c 0.1 d", "zscan z 0", "zscan z 0 count 1", "zscan z 5 match [ab]", "zscan z 0 match * count 100"],
    &["zscan nokey 0", "zscan nokey 0 count 0", "zscan nokey x"],
    &["zadd z 1 a", "zscan z x", "zscan z \" 0\"", "zscan z 0 count 0", "zscan z 0 count x", "zscan z 0 match", "zscan z 0 foo bar", "zscan z -1"],
    &["set k v", "zscan k 0", "zscan k 0 count 0"],
    &["hello 3", "zadd z 1 a 2 b", "zscan z 0"],
    // WRONGTYPE on the string side, and TYPE.
    &["zadd z 1 a", "get z", "incr z", "append z x", "strlen z", "getdel z", "type z", "sadd z a", "smembers z"],
    // Keys with a TTL keep it when changed.
    &["zadd z 1 a", "expire z 100", "zadd z 2 b", "zincrby z 1 a", "zrem z a", "zpopmin z 0", "ttl z"],
];

/// Cases that need more than a line of text: the listpack limits.
fn built_cases() -> Vec<Vec<String>> {
    let mut cases = Vec::new();
    let long = "m".repeat(65);
    let limit = "m".repeat(64);
    // A member longer than 64 bytes: no listpack from the start, so -0
    // stays -0 and ZSCAN walks a hash table (printing %.17g).
    cases.push(vec![
        format!("zadd z -0 {long}"),
        format!("zscore z {long}"),
        "zadd z 0.1 a 123456789012345678 c -0 d".into(),
        "zrange z 0 -1 withscores".into(),
        "%2 zscan z 0".into(),
        "%2 zscan z 0 count 100 match *".into(),
        "zunionstore d 1 z".into(),
        "zscore d d".into(),
    ]);
    // 64 bytes still fit; converting later keeps what was stored.
    cases.push(vec![
        format!("zadd z -0 {limit}"),
        format!("zscore z {limit}"),
        format!("zadd z -0 {long}"),
        format!("zscore z {long}"),
        "zadd z -0 x".into(),
        "zscore z x".into(),
        "zrange z 0 -1 withscores".into(),
    ]);
    // 128 members are a listpack; the 129th converts it, for good.
    let members: Vec<String> = (0..128).map(|i| format!("{} m{i:03}", i % 7)).collect();
    cases.push(vec![
        format!("zadd z {}", members.join(" ")),
        "zscan z 0 count 1000".into(),
        "zadd z -0 extra".into(),
        "zscore z extra".into(),
        "zrem z extra m000 m001".into(),
        "%2 zscan z 0 count 1000".into(),
        "zadd z -0 again".into(),
        "zscore z again".into(),
        "zrange z 0 -1 withscores".into(),
        "zrangebylex z - + limit 0 5".into(),
        "zrank z m127".into(),
        "zrevrank z m127".into(),
        "zcount z 2 4".into(),
        "zrangestore d z 0 -1".into(),
        "%2 zscan d 0 count 1000".into(),
        "zrangestore d z 0 127".into(),
        "zscan d 0 count 1000".into(),
    ]);
    // Many members: ranks and ranges across the blocks of our order.
    let many: Vec<String> = (0..3000)
        .map(|i| format!("{} k{i}", (i * 37) % 1000))
        .collect();
    cases.push(vec![
        format!("zadd z {}", many.join(" ")),
        "zcard z".into(),
        "zrange z 1000 1010 withscores".into(),
        "zrange z -1010 -1000 rev withscores".into(),
        "zrank z k1500".into(),
        "zrevrank z k1500".into(),
        "zrangebyscore z (500 510 withscores limit 3 7".into(),
        "zrevrangebyscore z 510 (500 limit 2 3".into(),
        "zcount z 100 200".into(),
        "zremrangebyrank z 100 2000".into(),
        "zrange z 95 105 withscores".into(),
        "zremrangebyscore z 900 +inf".into(),
        "zcard z".into(),
        "zpopmax z 3".into(),
        "zpopmin z 3".into(),
        "zunionstore d 2 z z weights 1 2".into(),
        "zrange d 0 5 withscores".into(),
        "zinterstore d 2 z z aggregate max".into(),
        "zcard d".into(),
    ]);
    // Lex ranges on a big set of equal scores.
    let words: Vec<String> = (0..1000)
        .map(|i| format!("0 w{:04}", (i * 617) % 1000))
        .collect();
    cases.push(vec![
        format!("zadd z {}", words.join(" ")),
        "zrangebylex z [w0100 (w0110".into(),
        "zrevrangebylex z (w0110 [w0100 limit 2 3".into(),
        "zlexcount z [w0500 +".into(),
        "zremrangebylex z - (w0900".into(),
        "zcard z".into(),
        "zrangebylex z - + limit 0 3".into(),
    ]);
    cases
}

#[test]
fn sorted_set_replies_are_redis_replies() {
    let built = built_cases();
    let built: Vec<Vec<&str>> = built
        .iter()
        .map(|c| c.iter().map(String::as_str).collect())
        .collect();
    let mut cases: Vec<&[&str]> = CASES.to_vec();
    cases.extend(built.iter().map(Vec::as_slice));
    assert_same_as_redis_unordered(&cases);
}

/// The random stream: sorted-set commands over a few shared keys, mixed
/// with string and set commands on the same keys. ZRANDMEMBER is left
/// out (random). Lexicographic ranges go to one key whose scores are all
/// 0: on mixed scores Redis's answer for a big set depends on its
/// skiplist's random levels.
fn random_zset_command(rng: &mut Rng) -> (Vec<Vec<u8>>, Order) {
    const KEYS: &[&str] = &["z1", "z2", "z3", "str", "set"];
    const SCORES: &[&str] = &[
        "1", "2", "-1", "0", "-0", "1.5", "0.1", "3e2", "inf", "-inf", "+inf", "1e-3", "10", "x",
    ];
    const BOUNDS: &[&str] = &[
        "-inf", "+inf", "0", "1", "(1", "2", "(2", "1.5", "(0.1", "-1", "300", "x",
    ];
    const LEX: &[&str] = &["-", "+", "[a", "(a", "[b", "(c", "[d", "(e", "[", "x"];
    let key = |rng: &mut Rng| rng.pick(KEYS).to_string();
    let member = |rng: &mut Rng| {
        if rng.below(40) == 0 {
            "L".repeat(70) // too long for a listpack
        } else {
            format!("m{}", rng.below(12))
        }
    };
    let score = |rng: &mut Rng| rng.pick(SCORES).to_string();
    let bound = |rng: &mut Rng| rng.pick(BOUNDS).to_string();
    let lex = |rng: &mut Rng| rng.pick(LEX).to_string();
    let mut args: Vec<String> = Vec::new();
    let mut order = Order::Exact;
    match rng.below(30) {
        0..=4 => {
            args.extend(["zadd".into(), key(rng)]);
            for option in ["nx", "xx", "gt", "lt", "ch", "incr"] {
                if rng.below(7) == 0 {
                    args.push(option.into());
                }
            }
            // Now and then sixty members, so that sets pass 128 (no listpack).
            let bulk = rng.below(15) == 0;
            for _ in 0..if bulk { 60 } else { 1 + rng.below(3) } {
                let (score, member) = if bulk {
                    // No "x" here: one bad score refuses all sixty pairs.
                    let score = rng.pick(&SCORES[..SCORES.len() - 1]).to_string();
                    (score, format!("b{}", rng.below(300)))
                } else {
                    (score(rng), member(rng))
                };
                args.extend([score, member]);
            }
        }
        5 => args.extend(["zincrby".into(), key(rng), score(rng), member(rng)]),
        6 => args.extend(["zrem".into(), key(rng), member(rng), member(rng)]),
        7 => args.extend(["zscore".into(), key(rng), member(rng)]),
        8 => args.extend(["zmscore".into(), key(rng), member(rng), member(rng)]),
        9 => args.extend(["zcard".into(), key(rng)]),
        10 => args.extend([
            rng.pick(&["zrank", "zrevrank"]).to_string(),
            key(rng),
            member(rng),
        ]),
        11 | 12 => {
            let (start, stop) = (rng.below(7) as i64 - 3, rng.below(7) as i64 - 3);
            args.extend([
                "zrange".into(),
                key(rng),
                start.to_string(),
                stop.to_string(),
            ]);
            if rng.below(2) == 0 {
                args.push("rev".into());
            }
            if rng.below(2) == 0 {
                args.push("withscores".into());
            }
        }
        13 | 14 => {
            let reverse = rng.below(2) == 0;
            let name = if reverse {
                "zrevrangebyscore"
            } else {
                "zrangebyscore"
            };
            args.extend([name.into(), key(rng), bound(rng), bound(rng)]);
            if rng.below(2) == 0 {
                args.push("withscores".into());
            }
            if rng.below(3) == 0 {
                let (offset, count) = (rng.below(4) as i64 - 1, rng.below(5) as i64 - 1);
                args.extend(["limit".into(), offset.to_string(), count.to_string()]);
            }
        }
        15 => args.extend(["zcount".into(), key(rng), bound(rng), bound(rng)]),
        16 => {
            let (start, stop) = (rng.below(5) as i64 - 2, rng.below(5) as i64 - 2);
            args.extend([
                "zremrangebyrank".into(),
                key(rng),
                start.to_string(),
                stop.to_string(),
            ]);
        }
        17 => args.extend(["zremrangebyscore".into(), key(rng), bound(rng), bound(rng)]),
        18 => {
            args.extend([rng.pick(&["zpopmin", "zpopmax"]).to_string(), key(rng)]);
            if rng.below(2) == 0 {
                args.push(rng.below(4).to_string());
            }
        }
        19 => {
            let op = rng
                .pick(&["zunionstore", "zinterstore", "zdiffstore"])
                .to_string();
            args.extend([op.clone(), key(rng), "2".into(), key(rng), key(rng)]);
            if op != "zdiffstore" && rng.below(2) == 0 {
                args.extend(["weights".into(), score(rng), score(rng)]);
            }
            if op != "zdiffstore" && rng.below(2) == 0 {
                args.extend([
                    "aggregate".into(),
                    rng.pick(&["sum", "min", "max"]).to_string(),
                ]);
            }
        }
        20 => {
            let (start, stop) = (rng.below(5) as i64 - 2, rng.below(5) as i64 - 2);
            args.extend([
                "zrangestore".into(),
                key(rng),
                key(rng),
                start.to_string(),
                stop.to_string(),
            ]);
        }
        21 => {
            args.extend([
                "zscan".into(),
                key(rng),
                "0".into(),
                "count".into(),
                "1000".into(),
            ]);
            order = Order::Scan(2);
        }
        // The lex key: members added with score 0 only.
        22 | 23 => args.extend([
            "zadd".into(),
            "lex".into(),
            "0".into(),
            rng.pick(&["a", "b", "c", "d", "e", "aa", ""]).to_string(),
        ]),
        24 => {
            let reverse = rng.below(2) == 0;
            let name = if reverse {
                "zrevrangebylex"
            } else {
                "zrangebylex"
            };
            args.extend([name.into(), "lex".into(), lex(rng), lex(rng)]);
            if rng.below(3) == 0 {
                args.extend([
                    "limit".into(),
                    rng.below(3).to_string(),
                    (rng.below(4) as i64 - 1).to_string(),
                ]);
            }
        }
        25 => args.extend([
            rng.pick(&["zlexcount", "zremrangebylex"]).to_string(),
            "lex".into(),
            lex(rng),
            lex(rng),
        ]),
        26 => args.extend(["set".into(), key(rng), "v".into()]),
        27 => args.extend(["del".into(), key(rng)]),
        28 => args.extend(["sadd".into(), key(rng), member(rng)]),
        _ => args.extend([rng.pick(&["type", "get", "exists"]).to_string(), key(rng)]),
    }
    (args.into_iter().map(String::into_bytes).collect(), order)
}

#[test]
fn a_random_stream_of_sorted_set_commands_matches_redis() {
    let seed = seed(0x2_5e75_2026);
    run_stream("sorted sets", seed, 2000, false, random_zset_command);
    run_stream(
        "sorted sets",
        seed ^ 0xffff,
        1000,
        true,
        random_zset_command,
    );
}

//@ passes from step 3
/// What ZRANDMEMBER promises, checked on both servers: counts, membership,
/// uniqueness (for a positive count), and each score beside its member.
#[test]
fn random_members_follow_redis_rules() {
    let Some(redis) = common::differential::start_redis("the ZRANDMEMBER rules test") else {
        return;
    };
    let ours = common::TestServer::start(&[]);
    for port in [redis.port, ours.port] {
        let who = if port == redis.port { "redis" } else { "ours" };
        let mut conn = common::Conn::connect(port);
        conn.call(&["FLUSHALL"]);
        let mut zadd = vec!["ZADD".to_string(), "z".to_string()];
        for i in 0..10 {
            zadd.extend([format!("{i}.5"), format!("m{i}")]);
        }
        let words: Vec<&str> = zadd.iter().map(String::as_str).collect();
        conn.call(&words);
        let pairs = |reply: Vec<u8>| -> Vec<(String, String)> {
            let nodes = match unordered::parse_all(&reply).remove(0) {
                unordered::Node::Aggregate(_, items) => items,
                other => panic!("{who}: not an array: {other:?}"),
            };
            let text: Vec<String> = nodes
                .iter()
                .map(|n| {
                    String::from_utf8_lossy(&n.to_bytes())
                        .split("\r\n")
                        .nth(1)
                        .unwrap_or("")
                        .to_string()
                })
                .collect();
            text.chunks(2)
                .map(|p| (p[0].clone(), p[1].clone()))
                .collect()
        };
        let valid = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .all(|(m, s)| m.strip_prefix('m').is_some_and(|i| *s == format!("{i}.5")))
        };
        for count in ["3", "8"] {
            let got = pairs(conn.call(&["ZRANDMEMBER", "z", count, "WITHSCORES"]));
            let names: std::collections::HashSet<_> = got.iter().map(|p| &p.0).collect();
            assert!(
                got.len().to_string() == count && names.len() == got.len() && valid(&got),
                "{who}: {got:?}"
            );
        }
        let repeats = pairs(conn.call(&["ZRANDMEMBER", "z", "-25", "WITHSCORES"]));
        assert!(repeats.len() == 25 && valid(&repeats), "{who}: {repeats:?}");
        let plain = conn.call(&["ZRANDMEMBER", "z", "-4"]);
        assert!(plain.starts_with(b"*4\r\n"), "{who}");
        let one = conn.call_str(&["ZRANDMEMBER", "z"]);
        assert!(one.contains("\r\nm"), "{who}: {one}");
    }
}
