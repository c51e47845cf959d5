using QRCoder;

namespace Msme.Portal.Features.Actions;

/// <summary>QR codes of UPI links as PNG data URIs (QRCoder's PNG writer needs no System.Drawing).</summary>
public static class UpiQrCode
{
    /// <summary>Error correction M (15 %): what UPI apps' own QR codes use; 6 px per module.</summary>
    public static byte[] Png(string upiUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(upiUri, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }

    public static string PngDataUri(string upiUri) => "data:image/png;base64," + Convert.ToBase64String(Png(upiUri));
}
