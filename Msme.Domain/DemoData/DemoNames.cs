namespace Msme.Domain.DemoData;

/// <summary>Word lists the generator draws names, banks and places from. Invented combinations, not real firms.</summary>
internal static class DemoNames
{
    public static readonly string[] FirstNames =
    [
        "Ramesh", "Suresh", "Priya", "Anjali", "Mohammed", "Arjun", "Lakshmi", "Venkatesh", "Sunita", "Rahul", "Deepak",
        "Kavita", "Imran", "Farhan", "Gurpreet", "Harpreet", "Sanjay", "Vijay", "Pooja", "Neha", "Manoj", "Rajesh",
        "Srinivas", "Karthik", "Meena", "Anil", "Sunil", "Ashok", "Ravi", "Ganesh", "Fatima", "Ayesha", "Joseph",
        "Thomas", "Mary", "Dinesh", "Mahesh", "Naveen", "Prakash", "Rekha", "Shalini", "Aditya", "Vikram", "Nitin",
        "Bhavna", "Jignesh", "Hitesh", "Sandeep", "Arun", "Balaji", "Murugan", "Selvi", "Abdul", "Salim", "Sneha",
    ];

    public static readonly string[] Surnames =
    [
        "Sharma", "Verma", "Patel", "Shah", "Reddy", "Naidu", "Iyer", "Nair", "Menon", "Gupta", "Agarwal", "Jain",
        "Singh", "Kaur", "Khan", "Ansari", "Das", "Ghosh", "Banerjee", "Mukherjee", "Yadav", "Kumar", "Pillai", "Rao",
        "Desai", "Joshi", "Kulkarni", "Pawar", "Chauhan", "Thakur", "Mishra", "Pandey", "Choudhary", "Saxena", "Mehta",
        "Bhatt", "Fernandes", "D'Souza", "Shetty", "Hegde", "Gowda", "Sheikh", "Qureshi", "Bose", "Sinha", "Tiwari",
    ];

    public static readonly string[] Prefixes =
    [
        "Shree", "Sri", "Jai", "Om", "Balaji", "Ganesh", "Lakshmi", "Maa Durga", "Sai", "Krishna", "Annapurna",
        "Mahalaxmi", "Vinayak", "Royal", "New", "Raj", "Navkar", "Sunrise", "Star", "Global", "Bharat", "Ambika",
        "Tirupati", "Shiv Shakti", "Kaveri", "Ganga", "Sahyadri", "Himalaya", "Vishwas", "Prime", "Apex", "Metro",
    ];

    public static readonly string[] KiranaCores = ["Kirana Store", "General Stores", "Provision Stores", "Super Mart", "Departmental Store", "Kirana & General Stores"];
    public static readonly string[] ManufacturerCores = ["Industries", "Engineering Works", "Polymers", "Auto Components", "Textiles", "Fabricators", "Packaging", "Plastics", "Castings", "Food Products"];
    public static readonly string[] ServiceCores = ["Consultants", "Technologies", "Solutions", "Logistics", "Digital Services", "Associates", "Infotech", "Facility Services", "Healthcare Services"];
    public static readonly string[] TraderCores = ["Traders", "Enterprises", "Trading Co", "Agencies", "Distributors", "Impex", "Sales Corporation", "Steel Traders"];
    public static readonly string[] OndcCores = ["Handicrafts", "Organics", "Fashions", "Home Essentials", "Naturals", "Crafts", "Spices", "Handlooms"];

    public static readonly string[] CompanyWords = ["Auto Parts", "Infra", "Motors", "Pharma", "Retail", "Foods", "Exports", "Builders", "Electricals", "Steels", "Garments", "Chemicals"];

    public static readonly string[] Suppliers =
    [
        "HINDUSTAN UNILEVER DIST", "ITC LTD DISTRIBUTOR", "SHREE GANESH TRADERS", "AMUL DISTRIBUTORS", "PATANJALI AGENCY",
        "RELIANCE RETAIL LTD", "METRO CASH AND CARRY", "JIOMART PARTNER", "BHARAT AGENCIES", "NAVKAR WHOLESALE",
        "UDAAN TRADE", "KRISHNA OIL MILLS", "SAI RICE MILL", "DABUR DISTRIBUTOR", "NESTLE STOCKIST",
    ];

    public static readonly string[] RawMaterialSuppliers =
    [
        "JINDAL STEEL DEALER", "SUPREME POLYMERS", "RELIANCE POLYMER DIST", "HINDALCO METAL AGENT", "ARVIND YARN",
        "ASIAN PAINTS DEPOT", "TATA STEEL STOCKYARD", "VARDHMAN FABRICS", "BHUSHAN METALS", "GUJARAT ALKALIES AGENT",
    ];

    public static readonly string[] Saas =
    [
        "GOOGLE WORKSPACE", "MICROSOFT 365", "ZOHO CORPORATION", "AMAZON WEB SERVICES", "TALLY SOLUTIONS", "FRESHWORKS",
        "ADOBE SYSTEMS", "SLACK TECHNOLOGIES", "CANVA PTY", "GODADDY",
    ];

    public static readonly string[] Lenders =
    [
        "BAJAJ FINANCE LTD", "TATA CAPITAL LTD", "LENDINGKART FINANCE", "HDFC BANK LTD", "ICICI BANK LTD", "INDIFI CAPITAL",
        "FLEXILOANS", "NEOGROWTH CREDIT", "UGRO CAPITAL", "ADITYA BIRLA FINANCE", "MSME FIU CAPITAL",
    ];

    public static readonly string[] OndcNetworkParticipants = ["MYSTORE", "SELLERAPP", "ESAMUDAAY", "GOFRUGAL", "BITSILA", "PLOTCH"];

    public static readonly string[] Couriers = ["SHIPROCKET", "DELHIVERY", "ECOM EXPRESS", "XPRESSBEES", "DTDC EXPRESS"];

    public static readonly string[] PayeeBankNames =
    [
        "Axis Bank", "HDFC BANK LTD", "State Bank Of India", "ICICI Bank", "Kotak Mahindra", "Punjab National Bank",
        "Bank of Baroda", "Canara Bank", "Union Bank of India", "IDFC FIRST BANK", "Paytm Payments Bank", "Airtel Payments Bank",
    ];

    public static readonly string[] IfscPrefixes = ["SBIN", "HDFC", "ICIC", "UTIB", "KKBK", "PUNB", "BARB", "CNRB", "UBIN", "IDFB", "YESB", "INDB"];

    public static readonly string[] Psps = ["okaxis", "okhdfcbank", "oksbi", "okicici", "ybl", "ibl", "axl", "paytm", "upi", "apl"];

    /// <summary>A state with its Udyam code, cities and electricity board.</summary>
    public sealed record State(string Code, string[] Cities, string Board);

    public static readonly State[] States =
    [
        new("MH", ["Mumbai", "Pune", "Nagpur", "Nashik", "Thane"], "MSEDCL"),
        new("KA", ["Bengaluru", "Mysuru", "Hubballi", "Mangaluru"], "BESCOM"),
        new("TN", ["Chennai", "Coimbatore", "Madurai", "Tiruppur"], "TANGEDCO"),
        new("GJ", ["Ahmedabad", "Surat", "Rajkot", "Vadodara"], "DGVCL"),
        new("DL", ["New Delhi", "Okhla", "Karol Bagh", "Narela"], "BSES RAJDHANI"),
        new("UP", ["Lucknow", "Kanpur", "Noida", "Agra"], "UPPCL"),
        new("RJ", ["Jaipur", "Jodhpur", "Udaipur", "Kota"], "JVVNL"),
        new("TS", ["Hyderabad", "Warangal", "Secunderabad"], "TSSPDCL"),
        new("WB", ["Kolkata", "Howrah", "Siliguri"], "WBSEDCL"),
        new("KL", ["Kochi", "Thiruvananthapuram", "Kozhikode"], "KSEB"),
        new("PB", ["Ludhiana", "Jalandhar", "Amritsar"], "PSPCL"),
        new("HR", ["Gurugram", "Faridabad", "Panipat"], "DHBVN"),
    ];

    /// <summary>An FIP with the bank details its documents carry.</summary>
    public sealed record Bank(string FipId, string Name, string IfscPrefix, int AccountDigits, string TxnPrefix, string SponsorCode);

    public static readonly Bank[] Banks =
    [
        new("HDFC-FIP", "HDFC BANK", "HDFC", 14, "S", "HDFC"),
        new("ICICI-FIP", "ICICI BANK", "ICIC", 12, "M", "ICIC"),
        new("SBI-FIP", "STATE BANK OF INDIA", "SBIN", 11, "TXN", "SBIN"),
        new("AXIS-FIP", "AXIS BANK", "UTIB", 15, "A", "UTIB"),
    ];

    public static readonly string[] AaHandles = ["onemoney", "finvu", "setu"];

    public static readonly string[] MonthAbbrev = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
}
