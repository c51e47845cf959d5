import re, random, collections
rows=[l.rstrip('\n').split('\t') for l in open('demo.tsv')]
def truth(acct, typ, n):
    """Generator truth: which template in CashflowSimulator produced the line (read from its source)."""
    C = typ=='Credit'
    if n.startswith('NACH RETURN CHARGES/') or n.startswith('ACH RTN CHRG/'): return 'Internal','BounceCharges','presentment-charge'
    if n.startswith('NACH-DR-') or n.startswith('ACH/'): return 'Nach','LoanEmi','presentment'
    if n.startswith('CHRG/'): return 'Internal','BankCharges','bank-charge'
    if n.startswith('Int.Pd:'): return 'Internal','Interest','savings-interest'
    if n.startswith('TRF TO ') or n.startswith('TRF FROM '): return 'Internal','OwnTransfer','owner-sweep'
    if n.startswith('GST/CPIN') or n.startswith('GSTN PAYMENT'): return 'Other','GstTax','gst'
    if n.startswith('CMS/SALARY/'): return 'Other','SalaryPayout','bulk-payroll'
    if n.startswith('SAL/'): return 'Imps','SalaryPayout','payroll'
    if n.startswith('NFS/CASH WDL'): return 'Atm','CashWithdrawal','atm'
    if n.startswith('CASH DEP/') or n.startswith('BY CASH DEPOSIT'): return 'Cash','CashDeposit','cash-deposit'
    if n.startswith('BIL/BPAY/'): return 'BillPay','Utilities','electricity'
    if n.startswith('BIL/ONL/'): return 'BillPay','SupplierPayment','courier'
    if n.startswith('ONDC REFUND ADJ'): return 'Other','Other','ondc-refund'
    if n.startswith('POS '): return 'Card','Other','saas-card'
    if n.startswith('CLG/'): return 'Cheque','BusinessReceipts','b2b-cheque'
    if 'LOAN DISB' in n: return 'Neft','Other','disbursal'
    if n.startswith('MMT/IMPS/'):
        remark = n.split('/')[3]
        if remark.startswith('EMI '): return 'Imps','LoanEmi','manual-emi'
        if remark.startswith('RENT '): return 'Imps','Rent','rent'
        if remark=='DIRECTOR REMUNERATION': return 'Imps','SalaryPayout','director-drawing'
        if remark=='SELF': return 'Imps','OwnTransfer','owner-drawing'
        if remark=='SALE': return 'Imps','BusinessReceipts','trader-sale'
        if remark=='PURCHASE': return 'Imps','SupplierPayment','trader-purchase'
        if remark=='PAYMENT': return 'Imps','SupplierPayment','supplier'
        raise Exception(n)
    if n.startswith('RTGS DR-'):
        return 'Rtgs','SupplierPayment', 'asset-purchase' if re.search('PURCHASE|RENOVATION|SOLAR',n) else 'trader-purchase'
    if n.startswith('RTGS/'):
        why=n.split('/')[-1]
        if why in ('CAPITAL INTRODUCED','SALE OF PROPERTY','INSURANCE CLAIM SETTLEMENT'): return 'Rtgs','Other','one-off'
        if why=='ADVANCE AGAINST ORDER': return 'Rtgs','BusinessReceipts','one-off-advance'
        return 'Rtgs','BusinessReceipts','b2b-rtgs'
    if n.startswith('NEFT DR-'): return 'Neft','SupplierPayment','supplier-neft'
    if n.startswith('NEFT-'):
        if 'ONDC SETTLEMENT' in n: return 'Neft','BusinessReceipts','ondc-settlement'
        return 'Neft','BusinessReceipts','b2b-neft'
    if n.startswith('UPI'):
        if 'AUTOPAY' in n or re.search(r'\bEMI\b', n): return 'Upi','LoanEmi','upi-emi'
        if 'ondc settlement' in n: return 'Upi','BusinessReceipts','ondc-settlement'
        if acct!='0': return 'Upi','Other','personal-upi' + ('-credit' if C else '')
        if C: return 'Upi','BusinessReceipts','upi-receipt'
        return 'Upi','SupplierPayment','supplier-upi'
    raise Exception(n)
by=collections.defaultdict(list)
for cust,acct,arch,typ,mode,amt,n in rows:
    ch,cat,tpl=truth(acct,typ,n)
    by[tpl].append((n,typ.upper(),mode,ch,cat,'demo:'+tpl))
random.seed(11)
out=[]
for tpl in sorted(by):
    items=by[tpl]; random.shuffle(items)
    out+=items[:5]
print(len(out), sorted((k,len(v)) for k,v in by.items()))
import pickle; pickle.dump(out,open('demo.pkl','wb'))
