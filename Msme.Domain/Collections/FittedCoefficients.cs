namespace Msme.Domain.Collections;

/// <summary>
/// The coefficients Smart Collect runs with: fitted by <c>backtest --fit</c> (<see cref="WalkForward.Fit"/>, ridge λ = 1)
/// on the demo book (200 customers, 18 months to 2026-11-30, seed 42), presentments due 2025-09-05..2026-05-15 (10,467
/// window-day rows); scored walk-forward on the presentments due from 2026-06-01 (docs/smart-collect-model.md, "Fit").
/// A lender refits on its own book with the same verb and replaces them here, with a new version.
/// </summary>
public static class FittedCoefficients
{
    public const string Version = "sc-lr-2026.12-1";

    public static readonly FittedPresentmentModel Current = new(
        Version,
        new DateOnly(2025, 9, 5),
        new DateOnly(2026, 5, 15),
        Rows: 10_467,
        Lambda: 1.0,
        Intercept: 2.06586686218484,
        Coefficients: [1.176664465490333, -0.005793649520780307, 0.127024362820354, 0.32865664113182713, 0.23670856339423227, 0.095532389680688, 0.0031316488134891943, -0.06135203250506416, -0.09483408441296742],
        Means: [1.1573461192242562, 0.9508001950716883, -0.007210095366516359, 1.9339334749161858, -0.019948409286328544, 0.313843508168537, 0.7674460048914449, 0.07414732014903981, 0.5529521352823159],
        Scales: [1.0162710905442438, 0.9121075542906474, 0.2540305841468179, 0.9330944426211616, 0.4669103731260361, 0.3300242854878655, 1.0321457069689044, 0.21712047957183228, 0.2010502611567729]);
}
