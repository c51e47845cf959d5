namespace Msme.Domain.Ingestion.Reading;

/// <summary>A scalar as received, with where it was, kept until its object is complete and can be judged as a whole.</summary>
internal readonly record struct RawValue(string Name, ScalarKind Kind, string? Text, DocPath Path, int Line)
{
    /// <summary>Null, empty and whitespace all mean "not given": feeds send "" for fields they do not have.</summary>
    public bool IsBlank => Kind == ScalarKind.Null || string.IsNullOrWhiteSpace(Text);

    public bool IsBoolean => Kind is ScalarKind.True or ScalarKind.False;
}

/// <summary>FIP and account identity a wrapper (FI[].fipID, data[].maskedAccNumber) states for the accounts inside it.</summary>
internal readonly record struct WrapperHints(string? FipId, string? LinkRef, string? Masked);
