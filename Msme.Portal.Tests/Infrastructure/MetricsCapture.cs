using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Hosting;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// Listens to one host's Msme meter (the meter its <see cref="IMeterFactory"/> made, so measurements of other test hosts
/// running at the same time are not counted) and keeps every measurement.
/// </summary>
public sealed class MetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricsCapture(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MsmeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
        // The host's metrics singleton, created now if nothing asked for it yet, so its instruments are published to the listener.
        services.GetRequiredService<MsmeMetrics>();
    }

    /// <summary>The sum of an instrument's measurements whose tags include every given tag.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Sum(m => m.Value);

    /// <summary>How many measurements an instrument recorded (a histogram's recordings).</summary>
    public int Count(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Count();

    /// <summary>Every value an instrument recorded, in order.</summary>
    public IReadOnlyList<double> Values(string name) => [.. _measurements.Where(m => m.Name == name).Select(m => m.Value)];

    private IEnumerable<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> Matching(string name, (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.Any(k => k.Key == t.Key && Equals(k.Value, t.Value))));

    public void Dispose() => _listener.Dispose();
}
