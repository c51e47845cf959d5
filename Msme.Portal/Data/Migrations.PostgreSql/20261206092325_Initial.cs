using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Msme.Portal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<long>(type: "bigint", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: true),
                    UserName = table.Column<string>(type: "text", nullable: false),
                    Roles = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: true),
                    Target = table.Column<string>(type: "text", nullable: false),
                    Details = table.Column<string>(type: "text", nullable: true),
                    PreviousHash = table.Column<string>(type: "text", nullable: false),
                    Hash = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AaHandle = table.Column<string>(type: "text", nullable: false),
                    LegalName = table.Column<string>(type: "text", nullable: true),
                    Pan = table.Column<string>(type: "text", nullable: true),
                    Udyam = table.Column<string>(type: "text", nullable: true),
                    BusinessCategory = table.Column<string>(type: "text", nullable: true),
                    Scale = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Customers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataStamps",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataStamps", x => x.CustomerId);
                });

            migrationBuilder.CreateTable(
                name: "ImportRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BundleName = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    SessionId = table.Column<string>(type: "text", nullable: true),
                    CustomerHandle = table.Column<string>(type: "text", nullable: true),
                    TransactionsAdded = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    By = table.Column<string>(type: "text", nullable: true),
                    ElapsedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ApiClients",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AgentUserId = table.Column<string>(type: "text", nullable: true),
                    AaId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TokenPrefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    RevokedBy = table.Column<string>(type: "text", nullable: true),
                    LastUsedAt = table.Column<long>(type: "bigint", nullable: true),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    RotatedAt = table.Column<long>(type: "bigint", nullable: true),
                    RotatedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiClients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiClients_AspNetUsers_AgentUserId",
                        column: x => x.AgentUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserPasskeys",
                columns: table => new
                {
                    CredentialId = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Data = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
                    table.ForeignKey(
                        name: "FK_AspNetUserPasskeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AgentPortfolios",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AgentUserId = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    AssignedBy = table.Column<string>(type: "text", nullable: false),
                    AssignedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentPortfolios", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AgentPortfolios_AspNetUsers_AgentUserId",
                        column: x => x.AgentUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AgentPortfolios_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AnomalyReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AnomalyKey = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    Scope = table.Column<string>(type: "text", nullable: false),
                    Detector = table.Column<string>(type: "text", nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Period = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    EscalationTarget = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ReviewerId = table.Column<string>(type: "text", nullable: false),
                    ReviewerName = table.Column<string>(type: "text", nullable: false),
                    ReviewedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnomalyReviews_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Consents",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsentId = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ConsentStart = table.Column<long>(type: "bigint", nullable: true),
                    ConsentExpiry = table.Column<long>(type: "bigint", nullable: true),
                    ConsentMode = table.Column<string>(type: "text", nullable: true),
                    FetchType = table.Column<string>(type: "text", nullable: true),
                    ConsentTypes = table.Column<string>(type: "text", nullable: false),
                    FiTypes = table.Column<string>(type: "text", nullable: false),
                    DataConsumerId = table.Column<string>(type: "text", nullable: true),
                    DataProviderId = table.Column<string>(type: "text", nullable: true),
                    PurposeCode = table.Column<string>(type: "text", nullable: true),
                    PurposeText = table.Column<string>(type: "text", nullable: true),
                    PurposeCategory = table.Column<string>(type: "text", nullable: true),
                    FiDataFrom = table.Column<long>(type: "bigint", nullable: true),
                    FiDataTo = table.Column<long>(type: "bigint", nullable: true),
                    DataLifeUnit = table.Column<string>(type: "text", nullable: true),
                    DataLifeValue = table.Column<int>(type: "integer", nullable: true),
                    FrequencyUnit = table.Column<string>(type: "text", nullable: true),
                    FrequencyValue = table.Column<int>(type: "integer", nullable: true),
                    DataFiltersJson = table.Column<string>(type: "text", nullable: false),
                    CreateTimestamp = table.Column<long>(type: "bigint", nullable: true),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    AaId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Consents_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EscalationWorkItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AnomalyKey = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    Target = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Period = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    AmountPaise = table.Column<long>(type: "bigint", nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    CreatedById = table.Column<string>(type: "text", nullable: false),
                    CreatedByName = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DoneAt = table.Column<long>(type: "bigint", nullable: true),
                    DoneById = table.Column<string>(type: "text", nullable: true),
                    DoneByName = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EscalationWorkItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EscalationWorkItems_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Loans",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoanId = table.Column<string>(type: "text", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    Lender = table.Column<string>(type: "text", nullable: true),
                    Product = table.Column<string>(type: "text", nullable: false),
                    SanctionedPaise = table.Column<long>(type: "bigint", nullable: false),
                    EmiPaise = table.Column<long>(type: "bigint", nullable: false),
                    DueDay = table.Column<int>(type: "integer", nullable: false),
                    TenureMonths = table.Column<int>(type: "integer", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Mandate = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MandateRef = table.Column<string>(type: "text", nullable: true),
                    MaskedAccNumber = table.Column<string>(type: "text", nullable: false),
                    LinkRefNumber = table.Column<string>(type: "text", nullable: true),
                    SourceFile = table.Column<string>(type: "text", nullable: false),
                    ImportedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Loans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Loans_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AnomalyReviewEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AnomalyReviewId = table.Column<int>(type: "integer", nullable: false),
                    AnomalyKey = table.Column<string>(type: "text", nullable: false),
                    FromState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ToState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    EscalationTarget = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ReviewerId = table.Column<string>(type: "text", nullable: false),
                    ReviewerName = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Findings = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyReviewEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnomalyReviewEvents_AnomalyReviews_AnomalyReviewId",
                        column: x => x.AnomalyReviewId,
                        principalTable: "AnomalyReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AaConsentRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerHandle = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: true),
                    AaId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ConsentHandle = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ConsentId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: true),
                    PurposeCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    FetchType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FiDataFrom = table.Column<long>(type: "bigint", nullable: false),
                    FiDataTo = table.Column<long>(type: "bigint", nullable: false),
                    ConsentExpiry = table.Column<long>(type: "bigint", nullable: false),
                    DataLifeMonths = table.Column<int>(type: "integer", nullable: false),
                    FrequencyUnit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    FrequencyValue = table.Column<int>(type: "integer", nullable: true),
                    RequestJson = table.Column<string>(type: "text", nullable: false),
                    ArtefactJson = table.Column<string>(type: "text", nullable: true),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    LastCheckedAt = table.Column<long>(type: "bigint", nullable: true),
                    StatusChangedAt = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaConsentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaConsentRequests_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaConsentRequests_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AaFetches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsentId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    SessionId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ErrorCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RangeFrom = table.Column<long>(type: "bigint", nullable: false),
                    RangeTo = table.Column<long>(type: "bigint", nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Accounts = table.Column<int>(type: "integer", nullable: false),
                    Transactions = table.Column<int>(type: "integer", nullable: false),
                    Rejected = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaFetches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaFetches_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaFetches_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AaNotificationReceipts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Txnid = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: false),
                    Timestamp = table.Column<long>(type: "bigint", nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    NotifierId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ApiClientId = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaNotificationReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaNotificationReceipts_ApiClients_ApiClientId",
                        column: x => x.ApiClientId,
                        principalTable: "ApiClients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaNotificationReceipts_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConsentLinkedAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: false),
                    FiType = table.Column<string>(type: "text", nullable: true),
                    FipId = table.Column<string>(type: "text", nullable: true),
                    AccType = table.Column<string>(type: "text", nullable: true),
                    LinkRefNumber = table.Column<string>(type: "text", nullable: true),
                    MaskedAccNumber = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentLinkedAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentLinkedAccounts_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsentStatusChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: false),
                    FromStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ToStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ChangedAt = table.Column<long>(type: "bigint", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    ChangedBy = table.Column<string>(type: "text", nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentStatusChanges_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FetchSessions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SessionId = table.Column<string>(type: "text", nullable: false),
                    ConsentRecordId = table.Column<int>(type: "integer", nullable: false),
                    FipId = table.Column<string>(type: "text", nullable: true),
                    RangeFrom = table.Column<long>(type: "bigint", nullable: true),
                    RangeTo = table.Column<long>(type: "bigint", nullable: true),
                    FetchedAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    ImportedAt = table.Column<long>(type: "bigint", nullable: false),
                    ImportedBy = table.Column<string>(type: "text", nullable: true),
                    BundleName = table.Column<string>(type: "text", nullable: false),
                    TransactionsAdded = table.Column<int>(type: "integer", nullable: false),
                    TransactionsOverlapping = table.Column<int>(type: "integer", nullable: false),
                    TransactionsFilteredOut = table.Column<int>(type: "integer", nullable: false),
                    FirstTransactionDate = table.Column<DateOnly>(type: "date", nullable: true),
                    LastTransactionDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PurgedAt = table.Column<long>(type: "bigint", nullable: true),
                    PurgeReason = table.Column<string>(type: "text", nullable: true),
                    TransactionsPurged = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FetchSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FetchSessions_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "BucketMoves",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoanKey = table.Column<int>(type: "integer", nullable: false),
                    MonthEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    FromBucket = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ToBucket = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Dpd = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BucketMoves", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BucketMoves_Loans_LoanKey",
                        column: x => x.LoanKey,
                        principalTable: "Loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ContactLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    LoanKey = table.Column<int>(type: "integer", nullable: true),
                    AgentUserId = table.Column<string>(type: "text", nullable: false),
                    AgentName = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Disposition = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PtpDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PtpAmountPaise = table.Column<long>(type: "bigint", nullable: true),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    NextFollowUp = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactLogs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContactLogs_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ContactLogs_Loans_LoanKey",
                        column: x => x.LoanKey,
                        principalTable: "Loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LoanInstalments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoanKey = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    DueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    PresentedDate = table.Column<DateOnly>(type: "date", nullable: true),
                    AmountPaise = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PaidPaise = table.Column<long>(type: "bigint", nullable: false),
                    AttemptsJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoanInstalments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LoanInstalments_Loans_LoanKey",
                        column: x => x.LoanKey,
                        principalTable: "Loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    FipId = table.Column<string>(type: "text", nullable: false),
                    LinkedAccRef = table.Column<string>(type: "text", nullable: false),
                    MaskedAccNumber = table.Column<string>(type: "text", nullable: false),
                    SchemaVersion = table.Column<string>(type: "text", nullable: true),
                    AccountType = table.Column<string>(type: "text", nullable: true),
                    AccountSubType = table.Column<string>(type: "text", nullable: true),
                    Ifsc = table.Column<string>(type: "text", nullable: true),
                    Branch = table.Column<string>(type: "text", nullable: true),
                    Currency = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "text", nullable: true),
                    Facility = table.Column<string>(type: "text", nullable: true),
                    OpeningDate = table.Column<DateOnly>(type: "date", nullable: true),
                    CurrentBalancePaise = table.Column<long>(type: "bigint", nullable: true),
                    CurrentOdLimitPaise = table.Column<long>(type: "bigint", nullable: true),
                    DrawingLimitPaise = table.Column<long>(type: "bigint", nullable: true),
                    BalanceDateTime = table.Column<long>(type: "bigint", nullable: true),
                    HoldingType = table.Column<string>(type: "text", nullable: true),
                    HoldersJson = table.Column<string>(type: "text", nullable: false),
                    StatementStart = table.Column<DateOnly>(type: "date", nullable: true),
                    StatementEnd = table.Column<DateOnly>(type: "date", nullable: true),
                    LastFetchSessionId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Accounts_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Accounts_FetchSessions_LastFetchSessionId",
                        column: x => x.LastFetchSessionId,
                        principalTable: "FetchSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RawPayloads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FetchSessionId = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "text", nullable: false),
                    Role = table.Column<string>(type: "text", nullable: false),
                    ContentType = table.Column<string>(type: "text", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    ContentHeld = table.Column<bool>(type: "boolean", nullable: false),
                    PurgedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RawPayloads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RawPayloads_FetchSessions_FetchSessionId",
                        column: x => x.FetchSessionId,
                        principalTable: "FetchSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            CreateTransactions(migrationBuilder);

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentHandle",
                table: "AaConsentRequests",
                column: "ConsentHandle",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentId",
                table: "AaConsentRequests",
                column: "ConsentId");

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentRecordId",
                table: "AaConsentRequests",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_CustomerId",
                table: "AaConsentRequests",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_ConsentRecordId_RequestedAt",
                table: "AaFetches",
                columns: new[] { "ConsentRecordId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_CustomerId",
                table: "AaFetches",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_SessionId",
                table: "AaFetches",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_ApiClientId",
                table: "AaNotificationReceipts",
                column: "ApiClientId");

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_ConsentRecordId_Timestamp",
                table: "AaNotificationReceipts",
                columns: new[] { "ConsentRecordId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_Txnid",
                table: "AaNotificationReceipts",
                column: "Txnid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_CustomerId",
                table: "Accounts",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_FipId_LinkedAccRef_MaskedAccNumber",
                table: "Accounts",
                columns: new[] { "FipId", "LinkedAccRef", "MaskedAccNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_LastFetchSessionId",
                table: "Accounts",
                column: "LastFetchSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_MaskedAccNumber",
                table: "Accounts",
                column: "MaskedAccNumber");

            migrationBuilder.CreateIndex(
                name: "IX_AgentPortfolios_AgentUserId",
                table: "AgentPortfolios",
                column: "AgentUserId");

            migrationBuilder.CreateIndex(
                name: "IX_AgentPortfolios_CustomerId",
                table: "AgentPortfolios",
                column: "CustomerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviewEvents_AnomalyReviewId",
                table: "AnomalyReviewEvents",
                column: "AnomalyReviewId");

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviewEvents_ReviewerId_At",
                table: "AnomalyReviewEvents",
                columns: new[] { "ReviewerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviews_AnomalyKey",
                table: "AnomalyReviews",
                column: "AnomalyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviews_CustomerId",
                table: "AnomalyReviews",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_AgentUserId",
                table: "ApiClients",
                column: "AgentUserId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_Name",
                table: "ApiClients",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_TokenHash",
                table: "ApiClients",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserPasskeys_UserId",
                table: "AspNetUserPasskeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_CustomerId_Id",
                table: "AuditEntries",
                columns: new[] { "CustomerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserName_Id",
                table: "AuditEntries",
                columns: new[] { "UserName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_BucketMoves_LoanKey_MonthEnd",
                table: "BucketMoves",
                columns: new[] { "LoanKey", "MonthEnd" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentLinkedAccounts_ConsentRecordId",
                table: "ConsentLinkedAccounts",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_Consents_ConsentId",
                table: "Consents",
                column: "ConsentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Consents_CustomerId",
                table: "Consents",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentStatusChanges_ConsentRecordId",
                table: "ConsentStatusChanges",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_ContactLogs_CustomerId_At",
                table: "ContactLogs",
                columns: new[] { "CustomerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ContactLogs_LoanKey",
                table: "ContactLogs",
                column: "LoanKey");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_AaHandle",
                table: "Customers",
                column: "AaHandle",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_LegalName",
                table: "Customers",
                column: "LegalName");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Pan",
                table: "Customers",
                column: "Pan");

            migrationBuilder.CreateIndex(
                name: "IX_EscalationWorkItems_CustomerId",
                table: "EscalationWorkItems",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_EscalationWorkItems_Target_DoneAt",
                table: "EscalationWorkItems",
                columns: new[] { "Target", "DoneAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FetchSessions_ConsentRecordId",
                table: "FetchSessions",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_FetchSessions_SessionId",
                table: "FetchSessions",
                column: "SessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportRuns_At",
                table: "ImportRuns",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_LoanInstalments_LoanKey_Number",
                table: "LoanInstalments",
                columns: new[] { "LoanKey", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Loans_CustomerId",
                table: "Loans",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Loans_LoanId",
                table: "Loans",
                column: "LoanId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RawPayloads_FetchSessionId",
                table: "RawPayloads",
                column: "FetchSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_RawPayloads_Sha256",
                table: "RawPayloads",
                column: "Sha256");

            migrationBuilder.Sql("""CREATE UNIQUE INDEX "IX_Transactions_AccountId_TxnId" ON "Transactions" ("AccountId", "TxnId");""");

            CreateTriggers(migrationBuilder);
        }

        /// <summary>Hash partitions of the transactions table (see <see cref="CreateTransactions"/>).</summary>
        public const int TransactionPartitions = 16;

        /// <summary>
        /// The transactions table, written by hand because EF Core cannot declare partitioning: the same columns, types
        /// and names the model gives, hash-partitioned by account. Every read of the table is per account (the
        /// customer page, the consent gate's load, purge, lineage, the lake reader), and so is the merge key the import
        /// conflicts on: an account's rows live in one partition, which every query prunes to, and the unique
        /// (AccountId, TxnId) index can exist at all (a unique index on a partitioned table must contain the
        /// partition key, which a date range would not be). The primary key is (AccountId, Id) for the same reason;
        /// Id stays unique on its own through its identity sequence.
        /// </summary>
        private static void CreateTransactions(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "Transactions" (
                    "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
                    "AccountId" integer NOT NULL,
                    "FetchSessionId" integer NOT NULL,
                    "TxnId" text NOT NULL,
                    "Type" text NOT NULL,
                    "Mode" text NULL,
                    "AmountPaise" bigint NOT NULL,
                    "BalancePaise" bigint NOT NULL,
                    "TimestampUnixMs" bigint NOT NULL,
                    "Date" date NOT NULL,
                    "ValueDate" date NULL,
                    "Narration" text NULL,
                    "Reference" text NULL,
                    "Position" integer NOT NULL,
                    CONSTRAINT "PK_Transactions" PRIMARY KEY ("AccountId", "Id"),
                    CONSTRAINT "FK_Transactions_Accounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "Accounts" ("Id") ON DELETE RESTRICT
                ) PARTITION BY HASH ("AccountId");
                """);
            for (var i = 0; i < TransactionPartitions; i++)
            {
                migrationBuilder.Sql($"""
                    CREATE TABLE "Transactions_p{i:00}" PARTITION OF "Transactions" FOR VALUES WITH (MODULUS {TransactionPartitions}, REMAINDER {i});
                    """);
            }
        }

        /// <summary>Each table whose writes bump a customer's data stamp, and the expression of the customer a row belongs to (@ is NEW or OLD).</summary>
        internal static readonly (string Table, string Customer)[] Watched =
        [
            ("Consents", "@.\"CustomerId\""),
            ("FetchSessions", "(SELECT \"CustomerId\" FROM \"Consents\" WHERE \"Id\" = @.\"ConsentRecordId\")"),
            ("Accounts", "@.\"CustomerId\""),
            ("Loans", "@.\"CustomerId\""),
            ("LoanInstalments", "(SELECT \"CustomerId\" FROM \"Loans\" WHERE \"Id\" = @.\"LoanKey\")"),
            ("BucketMoves", "(SELECT \"CustomerId\" FROM \"Loans\" WHERE \"Id\" = @.\"LoanKey\")"),
            ("AnomalyReviews", "@.\"CustomerId\""),
        ];

        /// <summary>The bump this migration's trigger functions make: both stamps, once per row written.</summary>
        internal const string RowBump = """
            -- A row whose parent is already gone (a cascade) counts for the global stamp (row 0) only.
            INSERT INTO "DataStamps" ("CustomerId", "Version") SELECT DISTINCT c, 1 FROM unnest(ARRAY[customer, 0]) AS c
            ON CONFLICT ("CustomerId") DO UPDATE SET "Version" = "DataStamps"."Version" + 1;
            """;

        /// <summary>
        /// A watched table's trigger function, after CREATE (or CREATE OR REPLACE): the row's customer in <c>customer</c>,
        /// then <paramref name="bump"/>.
        /// </summary>
        internal static string StampFunction(string table, string customer, string bump)
        {
            string Of(string row) => $"COALESCE({customer.Replace("@", row, System.StringComparison.Ordinal)}, 0)";
            return $$"""
                FUNCTION "DataStamp_{{table}}"() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE customer integer;
                BEGIN
                    IF TG_OP = 'DELETE' THEN customer := {{Of("OLD")}}; ELSE customer := {{Of("NEW")}}; END IF;
                {{bump}}
                    RETURN NULL;
                END $fn$;
                """;
        }

        /// <summary>
        /// The triggers SQLite has (see its ConsentGate and AuditTrail migrations), in PL/pgSQL: the data stamps bumped in
        /// the same transaction as every write a customer's analysis depends on, whichever instance or connection makes
        /// it (so every instance's caches see it at the next request); and an audit trail that refuses UPDATE, DELETE
        /// and TRUNCATE.
        /// </summary>
        private static void CreateTriggers(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, customer) in Watched)
            {
                migrationBuilder.Sql($"""
                    CREATE {StampFunction(table, customer, RowBump)}
                    CREATE TRIGGER "DataStamp_{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION "DataStamp_{table}"();
                    """);
            }
            migrationBuilder.Sql("""
                CREATE FUNCTION "AuditEntries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP;
                END $fn$;
                CREATE TRIGGER "AuditEntries_no_change" BEFORE UPDATE OR DELETE ON "AuditEntries" FOR EACH ROW EXECUTE FUNCTION "AuditEntries_append_only"();
                CREATE TRIGGER "AuditEntries_no_truncate" BEFORE TRUNCATE ON "AuditEntries" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntries_append_only"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Watched)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "DataStamp_{table}" ON "{table}"; DROP FUNCTION IF EXISTS "DataStamp_{table}"();""");
            }
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "AuditEntries_no_change" ON "AuditEntries";
                DROP TRIGGER IF EXISTS "AuditEntries_no_truncate" ON "AuditEntries";
                DROP FUNCTION IF EXISTS "AuditEntries_append_only"();
                """);
            migrationBuilder.DropTable(
                name: "AaConsentRequests");

            migrationBuilder.DropTable(
                name: "AaFetches");

            migrationBuilder.DropTable(
                name: "AaNotificationReceipts");

            migrationBuilder.DropTable(
                name: "AgentPortfolios");

            migrationBuilder.DropTable(
                name: "AnomalyReviewEvents");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserPasskeys");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "BucketMoves");

            migrationBuilder.DropTable(
                name: "ConsentLinkedAccounts");

            migrationBuilder.DropTable(
                name: "ConsentStatusChanges");

            migrationBuilder.DropTable(
                name: "ContactLogs");

            migrationBuilder.DropTable(
                name: "DataStamps");

            migrationBuilder.DropTable(
                name: "EscalationWorkItems");

            migrationBuilder.DropTable(
                name: "ImportRuns");

            migrationBuilder.DropTable(
                name: "JobLeases");

            migrationBuilder.DropTable(
                name: "LoanInstalments");

            migrationBuilder.DropTable(
                name: "RawPayloads");

            migrationBuilder.DropTable(
                name: "Transactions");

            migrationBuilder.DropTable(
                name: "ApiClients");

            migrationBuilder.DropTable(
                name: "AnomalyReviews");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "Loans");

            migrationBuilder.DropTable(
                name: "Accounts");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "FetchSessions");

            migrationBuilder.DropTable(
                name: "Consents");

            migrationBuilder.DropTable(
                name: "Customers");
        }
    }
}
