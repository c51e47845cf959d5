using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Msme.Portal.Hosting;

/// <summary>
/// The data-protection key ring (it protects sign-in cookies, antiforgery tokens and two-factor cookies) is kept in
/// DATA/keys on SQLite, and in the database's DataProtectionKeys table on PostgreSQL (where several instances share
/// the store, and each must read the keys the others wrote), so a restart or another instance does not sign everyone
/// out; either way it is encrypted at rest with a certificate. On Linux there is no DPAPI, and ASP.NET Core would
/// otherwise write the keys in plain XML. With several instances, every instance needs the same certificate: point
/// Msme:DataProtectionCertificatePath at one mounted secret.
/// </summary>
/// <remarks>
/// The certificate comes from Msme:DataProtectionCertificatePath (a PFX, its password from
/// Msme:DataProtectionCertificatePassword). Without one configured, a self-signed RSA-3072 certificate is created on
/// first start at DATA/secrets/dataprotection.pfx, readable by the app's user only. That keeps a stray copy of the
/// keys folder (a log bundle, a support ticket) useless on its own, but not a copy of the whole data folder; in
/// production the certificate belongs outside the data folder, on a mounted secret, which the README says.
/// </remarks>
public static class DataProtectionKeys
{
    public const string ApplicationName = "Msme";

    public static IServiceCollection AddMsmeDataProtection(this IServiceCollection services, MsmeOptions msme)
    {
        var dataDirectory = msme.ResolveDataDirectory();
        var keys = Directory.CreateDirectory(Path.Combine(dataDirectory, "keys"));
        RestrictToOwner(keys.FullName, directory: true);
        var certificate = LoadOrCreate(msme.DataProtectionCertificatePath is { Length: > 0 } configured
            ? Path.IsPathRooted(configured) ? configured : Path.Combine(AppContext.BaseDirectory, configured)
            : Path.Combine(dataDirectory, "secrets", "dataprotection.pfx"), msme.DataProtectionCertificatePassword);
        var ring = services.AddDataProtection().SetApplicationName(ApplicationName);
        ring = msme.Database.Provider == Msme.Portal.Data.Store.DatabaseProvider.PostgreSql
            ? ring.PersistKeysToDbContext<Msme.Portal.Data.ApplicationDbContext>()
            : ring.PersistKeysToFileSystem(keys);
        ring.ProtectKeysWithCertificate(certificate);
        return services;
    }

    private static X509Certificate2 LoadOrCreate(string path, string? password)
    {
        if (!File.Exists(path))
        {
            var directory = Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RestrictToOwner(directory.FullName, directory: true);
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=Msme data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            // Validity is not checked when keys are decrypted; a long span means no surprise expiry.
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(30));
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, created.Export(X509ContentType.Pfx, password));
            RestrictToOwner(temp, directory: false);
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process on the same folder created it first: use theirs
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void RestrictToOwner(string path, bool directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, directory
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
