using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Msme.Domain.Aa;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>
/// The keys of the AA connector: this FIU's RSA signing key (a PEM file, generated on first use when absent) with its
/// public JWKS, and the AA's public keys from the JWKS file that stands in for the Sahamati Central Registry (re-read
/// when the file changes, so a key rotation needs no restart).
/// </summary>
public sealed class AaKeyRing(IOptions<MsmeOptions> options, IServiceProvider services, ILogger<AaKeyRing> log)
{
    private readonly Lock _gate = new();
    private (RSA Key, string Kid)? _fiu;
    private (DateTime Stamp, AaKeySet Keys)? _aa;

    /// <summary>This FIU's signing key; created at the configured path the first time it is needed.</summary>
    public RSA FiuKey => Fiu().Key;

    /// <summary>The key id of <see cref="FiuKey"/> (its RFC 7638 thumbprint), the <c>kid</c> of every request signed.</summary>
    public string FiuKid => Fiu().Kid;

    /// <summary>The public half of this FIU's key as a JWKS: what <c>/.well-known/jwks.json</c> serves and an AA registers.</summary>
    public string FiuJwks => AaKeySet.ToJwks([(FiuKid, FiuKey)]);

    /// <summary>The FIU's own public keys as a key set (the simulator verifies requests with them).</summary>
    public AaKeySet FiuPublicKeys => AaKeySet.Parse(FiuJwks);

    /// <summary>The AA's public keys. With the embedded simulator, its keys are written to the file first, as a registry would publish them.</summary>
    public AaKeySet AaKeys
    {
        get
        {
            var path = options.Value.ResolveAaPublicKeysPath();
            if (services.GetRequiredService<AaSimulatorHost>().Instance is { } simulator && !File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, simulator.Jwks);
            }
            if (!File.Exists(path))
            {
                throw new AaConfigurationException($"the AA's public keys are not configured: no JWKS file at {path} (setting Msme:Aa:AaPublicKeys)");
            }
            var stamp = File.GetLastWriteTimeUtc(path);
            lock (_gate)
            {
                if (_aa is { } cached && cached.Stamp == stamp)
                {
                    return cached.Keys;
                }
                var keys = AaKeySet.Load(path);
                _aa = (stamp, keys);
                log.LogInformation("AA public keys loaded from {Path}: {Kids}", path, string.Join(", ", keys.Kids));
                return keys;
            }
        }
    }

    private (RSA Key, string Kid) Fiu()
    {
        lock (_gate)
        {
            if (_fiu is { } fiu)
            {
                return fiu;
            }
            var path = options.Value.ResolveFiuSigningKeyPath();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = RsaKeyFile.LoadOrCreate(path, out var created);
            if (created)
            {
                log.LogInformation("Generated this FIU's signing key at {Path}; register its public JWKS (/.well-known/jwks.json) with the AA", path);
            }
            _fiu = (key, RsaKeyFile.Kid(key));
            return _fiu.Value;
        }
    }
}

/// <summary>The connector is not set up to talk to an AA (no base URL, no keys): an operator's fix, named precisely.</summary>
public sealed class AaConfigurationException(string message) : Exception(message);
