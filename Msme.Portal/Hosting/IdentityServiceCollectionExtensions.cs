using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Msme.Portal.Components.Account;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Where the sign-in began, in the cookie's properties: survives sliding renewals and principal refreshes.</summary>
    public const string SignedInAtItem = ".msme.signed-in-at";

    /// <summary>
    /// ASP.NET Core Identity with roles, cookie sign-in (30-minute sliding idle timeout, 12-hour absolute lifetime,
    /// Secure outside Development), lockout, two-factor required for some roles, a password policy with a list of
    /// common passwords, data-protection keys kept under the data folder, and forwarded headers from known proxies.
    /// </summary>
    public static IServiceCollection AddMsmeIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var msme = configuration.GetSection(MsmeOptions.Section).Get<MsmeOptions>() ?? new MsmeOptions();
        var requireHttps = msme.RequireHttps ?? !environment.IsDevelopment();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                // Staff accounts are created by an admin, so there is no e-mail confirmation step.
                options.SignIn.RequireConfirmedAccount = false;
                // ASVS 2.1.1: at least 12 characters; 2.1.7: not a common or breached password (CommonPasswordValidator).
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireDigit = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<MsmeClaimsPrincipalFactory>()
            .AddPasswordValidator<CommonPasswordValidator>();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.ExpireTimeSpan = msme.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.Events.OnSigningIn = context =>
            {
                // A refresh (role change, new password, enrolment) keeps the original time: the absolute limit counts from the sign-in.
                if (!context.Properties.Items.ContainsKey(SignedInAtItem))
                {
                    var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
                    context.Properties.Items[SignedInAtItem] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
                if (!context.Properties.Items.TryGetValue(SignedInAtItem, out var text) || !long.TryParse(text, out var seconds)
                    || now - DateTimeOffset.FromUnixTimeSeconds(seconds) > msme.SessionAbsoluteLifetime)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(context);
            };
        });
        // The two-factor step's own cookie lives 5 minutes, Secure like the sign-in cookie.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, c => c.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, c => c.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);

        // A role taken away or a user locked by an admin bites within a minute: cookies and open circuits re-check the security stamp.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();

        services.AddMsmeDataProtection(msme);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in msme.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in msme.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHttpsRedirection(o =>
        {
            o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            o.HttpsPort = msme.HttpsPort;
        });
        return services;
    }

    /// <summary>
    /// Forwarded headers first (so the client's address and scheme are the real ones, from known proxies only), then,
    /// when HTTPS is required (outside Development unless Msme:RequireHttps says otherwise), HSTS and a redirect to HTTPS.
    /// </summary>
    public static IApplicationBuilder UseMsmeTransportSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var msme = app.Configuration.GetSection(MsmeOptions.Section).Get<MsmeOptions>() ?? new MsmeOptions();
        if (msme.RequireHttps ?? !app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // A load balancer probes each instance directly over plain HTTP: a redirect would read as "down".
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/health"), b => b.UseHttpsRedirection());
        }
        return app;
    }
}
