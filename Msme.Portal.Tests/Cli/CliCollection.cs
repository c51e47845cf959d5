namespace Msme.Portal.Tests.Cli;

/// <summary>The verbs' settings overrides are process-wide: every class that runs verbs is in this one collection, so they never run at once.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    public const string Name = "cli verbs";
}
