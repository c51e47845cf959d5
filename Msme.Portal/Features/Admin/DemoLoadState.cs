namespace Msme.Portal.Features.Admin;

/// <summary>Progress of the first-run demo data load, for the screens to show while it runs in the background.</summary>
public sealed class DemoLoadState
{
    private readonly Lock _gate = new();

    public event Action? Changed;

    public bool Running { get; private set; }
    public int Done { get; private set; }
    public int Total { get; private set; }
    public int Rejected { get; private set; }
    public string? Error { get; private set; }

    public void Start(int total)
    {
        lock (_gate) { (Running, Done, Total, Rejected, Error) = (true, 0, total, 0, null); }
        Changed?.Invoke();
    }

    public void Step(bool rejected)
    {
        lock (_gate) { Done++; Rejected += rejected ? 1 : 0; }
        Changed?.Invoke();
    }

    public void Finish(string? error = null)
    {
        lock (_gate) { Running = false; Error = error; }
        Changed?.Invoke();
    }
}
