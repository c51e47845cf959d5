using System.Collections.Concurrent;

namespace Msme.Portal.Hosting;

/// <summary>Where a background job is: looping (and beating), finished its one-off work, or ended when it should not have.</summary>
public enum JobPhase { Running, Completed, Stopped }

/// <summary>One job's last heartbeat as readiness reads it.</summary>
public sealed record JobState(string Name, TimeSpan Interval, DateTimeOffset LastBeat, JobPhase Phase)
{
    /// <summary>
    /// Stale when a running job has not beaten for two of its intervals plus the grace (a long pass, a slow disk): the
    /// loop is stuck or dead. Completed jobs never go stale; a stopped one is not stale but not alive either.
    /// </summary>
    public bool StaleAt(DateTimeOffset now, TimeSpan grace) => Phase == JobPhase.Running && now - LastBeat > Interval * 2 + grace;
}

/// <summary>
/// The background jobs' heartbeats (risk cache warmer, purge, audit checkpoints, AA periodic fetch, demo loader): each
/// job starts a beat when its loop starts and ticks it on every pass, on the app's clock, so the readiness check can
/// name the job that stopped ticking. A job switched off by configuration never starts one and is not expected.
/// </summary>
public sealed class JobHeartbeats(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, JobState> _jobs = new(StringComparer.Ordinal);

    /// <summary>Registers the job as running, beating now; <paramref name="interval"/> is how often it means to beat.</summary>
    public JobBeat Start(string name, TimeSpan interval)
    {
        _jobs[name] = new JobState(name, interval, clock.GetUtcNow(), JobPhase.Running);
        return new JobBeat(this, name);
    }

    public IReadOnlyList<JobState> Snapshot() => [.. _jobs.Values.OrderBy(j => j.Name, StringComparer.Ordinal)];

    public DateTimeOffset Now => clock.GetUtcNow();

    internal void Beat(string name) => _jobs.AddOrUpdate(name,
        _ => throw new InvalidOperationException($"job '{name}' was never started"),
        (_, job) => job with { LastBeat = clock.GetUtcNow(), Phase = JobPhase.Running });

    internal void End(string name, JobPhase phase) => _jobs.AddOrUpdate(name,
        _ => throw new InvalidOperationException($"job '{name}' was never started"),
        (_, job) => job with { LastBeat = clock.GetUtcNow(), Phase = phase });
}

/// <summary>A running job's handle: <see cref="Beat"/> on every pass, <see cref="Complete"/> when one-off work is done; disposed without completing, the job counts as stopped.</summary>
public sealed class JobBeat(JobHeartbeats heartbeats, string name) : IDisposable
{
    private bool _ended;

    public void Beat() => heartbeats.Beat(name);

    public void Complete()
    {
        _ended = true;
        heartbeats.End(name, JobPhase.Completed);
    }

    public void Dispose()
    {
        if (!_ended)
        {
            _ended = true;
            heartbeats.End(name, JobPhase.Stopped);
        }
    }
}
