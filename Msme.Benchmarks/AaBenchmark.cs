using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Msme.AaSimulator;
using Msme.Domain.Aa;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

/// <summary>
/// "aa": the demo's customers through the simulated AA, as the FIU side does it (consent, handle polls, artefact with
/// its signature checked, FI request with a fresh Curve25519 key, FI fetch with the answer's signature checked, decrypt
/// every account, parse it), timed per phase. Import is not included (the portal's importer is measured by "import").
/// Options: --customers N (200) --months M (18) --as-of yyyy-MM-dd (2026-09-30) --state (persist the AA state to a temp file).
/// </summary>
internal static class AaBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int customers = 200, months = 18;
        var asOf = new DateOnly(2026, 9, 30); // fixed, not today: the figures must be repeatable
        bool persist = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--customers": customers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--months": months = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--as-of": asOf = DateOnly.ParseExact(args[++i], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "--state": persist = true; break;
                default:
                    Console.Error.WriteLine($"aa: unknown option {args[i]}");
                    return 2;
            }
        }
        var options = new DemoOptions(asOf, customers, months);
        var watch = Stopwatch.StartNew();
        var demo = DemoGenerator.Generate(options).ToList();
        var generate = watch.Elapsed;

        var dir = persist ? Directory.CreateTempSubdirectory("msme-aa-bench-") : null;
        using var fiuKey = RSA.Create(2048);
        string fiuKid = RsaKeyFile.Kid(fiuKey);
        var fiuKeys = AaKeySet.From([(fiuKid, fiuKey)]);
        var clock = TimeProvider.System;
        using var aa = new SimulatedAa(new SimulatedAaOptions
        {
            ApiKey = "bench", FiuKeys = () => fiuKeys, PendingPolls = 1,
            StateFile = dir is null ? null : Path.Combine(dir.FullName, "aa-state.json"),
        }, new DemoAaSource(demo), clock);
        var aaKeys = AaKeySet.Parse(aa.Jwks);
        using var http = new HttpClient(aa.CreateHandler()) { BaseAddress = new Uri("https://sim-aa.example/V2/") };

        string Now() => AaJson.Timestamp(clock.GetUtcNow());
        async Task<T> Post<T>(string path, object message)
        {
            byte[] body = AaJson.Serialize(message);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("client_api_key", "bench");
            request.Headers.Add("x-jws-signature", DetachedJws.Sign(fiuKey, fiuKid, body));
            using var response = await http.SendAsync(request);
            byte[] answer = await response.Content.ReadAsByteArrayAsync();
            var check = DetachedJws.Verify(response.Headers.GetValues("x-jws-signature").Single(), answer, aaKeys);
            if (!response.IsSuccessStatusCode || !check.Valid)
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {check.Error} {System.Text.Encoding.UTF8.GetString(answer)}");
            return AaJson.Deserialize<T>(answer)!;
        }

        var range = new WireDataRange
        {
            From = AaJson.Timestamp(new DateTimeOffset(options.WindowStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            To = AaJson.Timestamp(new DateTimeOffset(options.WindowEnd.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero).AddDays(1)),
        };
        TimeSpan consentTime = default, requestTime = default, fetchTime = default, decryptTime = default, parseTime = default;
        long accounts = 0, transactions = 0, bytes = 0;
        var total = Stopwatch.StartNew();
        foreach (var c in demo)
        {
            watch.Restart();
            var created = await Post<ConsentResponse>("Consent", new ConsentRequest
            {
                Ver = AaJson.Version, Timestamp = Now(), Txnid = AaJson.NewTxnId(),
                ConsentDetail = new WireConsentDetail
                {
                    ConsentStart = Now(), ConsentExpiry = AaJson.Timestamp(clock.GetUtcNow().AddYears(1)),
                    ConsentMode = "STORE", FetchType = "PERIODIC", ConsentTypes = ["PROFILE", "SUMMARY", "TRANSACTIONS"], FiTypes = ["DEPOSIT"],
                    DataConsumer = new WireParty { Id = DemoGenerator.DataConsumerId, Type = "FIU" },
                    Customer = new WireCustomer { Id = c.Customer.AaHandle },
                    Purpose = new WirePurpose { Code = "104", RefUri = "https://api.rebit.org.in/aa/purpose/104.xml", Text = "Explicit consent for monitoring of the accounts", Category = new WirePurposeCategory { Type = "Account monitoring" } },
                    FIDataRange = range,
                    DataLife = new WireUnitValue { Unit = "MONTH", Value = 12 },
                    Frequency = new WireUnitValue { Unit = "MONTH", Value = 4 },
                },
            });
            ConsentHandleResponse status;
            do
                status = await Post<ConsentHandleResponse>("Consent/handle", new ConsentHandleRequest { Ver = AaJson.Version, Timestamp = Now(), Txnid = AaJson.NewTxnId(), ConsentHandle = created.ConsentHandle });
            while (status.ConsentStatus.Status == "PENDING");
            var artefact = await Post<ConsentArtefact>("Consent/fetch", new ConsentFetchRequest { Ver = AaJson.Version, Timestamp = Now(), Txnid = AaJson.NewTxnId(), ConsentId = status.ConsentStatus.Id! });
            if (!CompactJws.Verify(artefact.SignedConsent, aaKeys, out _).Valid)
                throw new InvalidOperationException("signedConsent does not verify");
            consentTime += watch.Elapsed;

            watch.Restart();
            using var keys = FiKeyPair.Create(clock);
            var session = await Post<FiRequestResponse>("FI/request", new FiRequest
            {
                Ver = AaJson.Version, Timestamp = Now(), Txnid = AaJson.NewTxnId(), FIDataRange = range,
                Consent = new WireConsentRef { Id = artefact.ConsentId, DigitalSignature = CompactJws.SignatureSegment(artefact.SignedConsent) },
                KeyMaterial = keys.KeyMaterial,
            });
            requestTime += watch.Elapsed;

            watch.Restart();
            var fetched = await Post<FiFetchResponse>("FI/fetch", new FiFetchRequest { Ver = AaJson.Version, Timestamp = Now(), Txnid = AaJson.NewTxnId(), SessionId = session.SessionId });
            fetchTime += watch.Elapsed;

            foreach (var fi in fetched.FI)
                foreach (var data in fi.Data)
                {
                    watch.Restart();
                    byte[] plain = keys.Decrypt(fi.KeyMaterial, data.EncryptedFI);
                    decryptTime += watch.Elapsed;
                    watch.Restart();
                    var parsed = DepositDocumentReader.ReadAll(new MemoryStream(plain), data.LinkRefNumber);
                    parseTime += watch.Elapsed;
                    accounts++;
                    bytes += plain.Length;
                    transactions += parsed.Accounts.Sum(a => a.Transactions.Count);
                }
        }
        var all = total.Elapsed;
        double Ms(TimeSpan t) => t.TotalMilliseconds / customers;
        Console.WriteLine($"aa: {customers} demo customers x {months} months through the simulated AA (as of {asOf:yyyy-MM-dd}{(persist ? ", state persisted" : "")})");
        Console.WriteLine($"  generate demo            {generate.TotalSeconds,7:F2} s");
        Console.WriteLine($"  accounts {accounts:N0}, transactions {transactions:N0}, plaintext {bytes / 1048576.0:F1} MiB");
        Console.WriteLine($"  consent (create, 2 polls, artefact + JWS check)  {Ms(consentTime),7:F2} ms/customer");
        Console.WriteLine($"  FI/request (fresh key, AA checks it)             {Ms(requestTime),7:F2} ms/customer");
        Console.WriteLine($"  FI/fetch (AA renders, encrypts, signs; FIU checks the JWS)  {Ms(fetchTime),7:F2} ms/customer");
        Console.WriteLine($"  decrypt (FIU)            {Ms(decryptTime),7:F2} ms/customer  {bytes / 1048576.0 / decryptTime.TotalSeconds,8:F0} MiB/s");
        Console.WriteLine($"  parse (FIU)              {Ms(parseTime),7:F2} ms/customer");
        Console.WriteLine($"  total connector path     {all.TotalSeconds,7:F2} s for {customers} customers ({Ms(all):F1} ms/customer)");
        dir?.Delete(recursive: true);
        return 0;
    }
}
