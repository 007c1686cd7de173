package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.StartPoint;

import java.util.function.ToIntFunction;

/**
 * The enum fields of commands, decoded without throwing. SBE's generated {@code get} throws on a value its schema
 * does not know; in the state machine that exception would stop the dispatcher and, the command being journaled
 * already, stop every replay of it too. The ingress refuses such frames, but the state machine also replays journals
 * written before it did, so it reads every enum here: a value it does not know comes back as the enum's
 * {@code NULL_VAL}, which the code that uses it answers with an error, like any other invalid argument.
 * <p>
 * Allocation-free; stateless.
 */
final class WireEnums
{
    private static final AdminAction[] ADMIN_ACTIONS = AdminAction.values();
    private static final BackoffKind[] BACKOFF_KINDS = BackoffKind.values();
    private static final BooleanType[] BOOLEANS = BooleanType.values();
    private static final CreditMode[] CREDIT_MODES = CreditMode.values();
    private static final DispatchStrategy[] DISPATCH_STRATEGIES = DispatchStrategy.values();
    private static final LimitAction[] LIMIT_ACTIONS = LimitAction.values();
    private static final NackAction[] NACK_ACTIONS = NackAction.values();
    private static final StartPoint[] START_POINTS = StartPoint.values();

    private WireEnums()
    {
    }

    static AdminAction adminAction(final byte raw)
    {
        return decode(ADMIN_ACTIONS, AdminAction::value, raw, AdminAction.NULL_VAL);
    }

    static BackoffKind backoffKind(final byte raw)
    {
        return decode(BACKOFF_KINDS, BackoffKind::value, raw, BackoffKind.NULL_VAL);
    }

    static BooleanType booleanType(final short raw)
    {
        return decode(BOOLEANS, BooleanType::value, raw, BooleanType.NULL_VAL);
    }

    static CreditMode creditMode(final byte raw)
    {
        return decode(CREDIT_MODES, CreditMode::value, raw, CreditMode.NULL_VAL);
    }

    static DispatchStrategy dispatchStrategy(final byte raw)
    {
        return decode(DISPATCH_STRATEGIES, DispatchStrategy::value, raw, DispatchStrategy.NULL_VAL);
    }

    static StartPoint startPoint(final short raw)
    {
        return decode(START_POINTS, StartPoint::value, raw, StartPoint.NULL_VAL);
    }

    static LimitAction limitAction(final byte raw)
    {
        return decode(LIMIT_ACTIONS, LimitAction::value, raw, LimitAction.NULL_VAL);
    }

    static NackAction nackAction(final byte raw)
    {
        return decode(NACK_ACTIONS, NackAction::value, raw, NackAction.NULL_VAL);
    }

    private static <E> E decode(final E[] values, final ToIntFunction<E> valueOf, final int raw, final E unknown)
    {
        for (final E value : values)
        {
            if (valueOf.applyAsInt(value) == raw)
            {
                return value;
            }
        }
        return unknown;
    }
}
