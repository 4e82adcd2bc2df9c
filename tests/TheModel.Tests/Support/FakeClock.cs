namespace TheModel.Tests.Support;

/// <summary>A clock tests move by hand. Timers created on it fire when <see cref="Advance"/> passes their due time.</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<FakeTimer> timers = [];
    private DateTimeOffset now = start;

    public FakeClock() : this(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => SetUtcNow(GetUtcNow() + by);

    public void SetUtcNow(DateTimeOffset value)
    {
        List<FakeTimer> due;
        lock (gate)
        {
            if (value < now)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "time only moves forward");
            }
            now = value;
            due = timers.Where(t => t.DueAt <= now).ToList();
        }
        foreach (var timer in due)
        {
            timer.Fire(value);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;
        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                this.period = period;
                clock.timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    DueAt = DateTimeOffset.MaxValue;
                    return true;
                }
                DueAt = clock.now + dueTime;
                clock.timers.Add(this);
            }
            if (dueTime <= TimeSpan.Zero)
            {
                Fire(clock.GetUtcNow());
            }
            return true;
        }

        public void Fire(DateTimeOffset at)
        {
            lock (clock.gate)
            {
                if (!clock.timers.Contains(this) || DueAt > at)
                {
                    return;
                }
                clock.timers.Remove(this);
                if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
                {
                    DueAt = at + period;
                    clock.timers.Add(this);
                }
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
