# Independent re-derivation of the analytics contract (v1) figures from a Setu-shaped AA deposit JSON, for the
# expected values in the analytics tests. Deliberately naive (straight from the contract text, no shared code with C#).
# Usage: python3 contract_oracle.py FILE.json
import json, datetime as dt, calendar, sys
from decimal import Decimal as D, getcontext, ROUND_HALF_UP
getcontext().prec=50
IST=dt.timezone(dt.timedelta(hours=5,minutes=30))
def r(x,p): return None if x is None else x.quantize(D(1).scaleb(-p), rounding=ROUND_HALF_UP)
def ist_date(s):
    x=dt.datetime.fromisoformat(s.replace('Z','+00:00'))
    if x.tzinfo is None: x=x.replace(tzinfo=IST)
    return x.astimezone(IST).date()
def analyze(acc):
    T=acc['transactions']; txns=[]
    for i,t in enumerate(T['transaction']):
        ts=dt.datetime.fromisoformat(t['transactionTimestamp'].replace('Z','+00:00'))
        if ts.tzinfo is None: ts=ts.replace(tzinfo=IST)
        txns.append(dict(type=t['type'],amt=r(D(str(t['amount'])),2),bal=r(D(str(t['currentBalance'])),2),ts=ts,pos=i,date=ts.astimezone(IST).date()))
    txns.sort(key=lambda t:(t['ts'],t['pos']))
    frm=txns[0]['date']; to=txns[-1]['date']
    if T.get('startDate'): frm=max(frm,ist_date(T['startDate']))
    if T.get('endDate'): to=min(to,ist_date(T['endDate']))
    print('coverage',frm,to,'types',set(t['type'] for t in txns))
    daily={}; day=frm; i=0; cur=None
    while i<len(txns) and txns[i]['date']<frm: cur=txns[i]['bal']; i+=1
    while day<=to:
        while i<len(txns) and txns[i]['date']==day: cur=txns[i]['bal']; i+=1
        daily[day]=cur; day+=dt.timedelta(days=1)
    months=[]; y,m=frm.year,frm.month
    while (y,m)<=(to.year,to.month):
        first=dt.date(y,m,1); last=dt.date(y,m,calendar.monthrange(y,m)[1])
        cr=[t for t in txns if (t['date'].year,t['date'].month)==(y,m) and t['type']=='CREDIT']
        db=[t for t in txns if (t['date'].year,t['date'].month)==(y,m) and t['type']=='DEBIT']
        inf=sum((t['amt'] for t in cr),D(0)); out=sum((t['amt'] for t in db),D(0)); lc=None
        for t in cr:
            if lc is None or t['amt']>lc['amt']: lc=t
        months.append(dict(m=f'{y}-{m:02d}',complete=frm<=first and to>=last,inflow=inf,outflow=out,net=inf-out,cc=len(cr),dc=len(db),close=daily[min(last,to)],lc=lc['amt'] if lc else None,lcday=lc['date'].day if lc else None,first=first,last=last))
        m+=1
        if m==13: y+=1;m=1
    for mo in months: print(f"{mo['m']} complete={mo['complete']} in={mo['inflow']} out={mo['outflow']} net={mo['net']} cc={mo['cc']} dc={mo['dc']} close={mo['close']} lc={mo['lc']} lcday={mo['lcday']}")
    C=[mo for mo in months if mo['complete']]; n=len(C)
    def median(v):
        s=sorted(v); k=len(s); return s[k//2] if k%2 else (s[k//2-1]+s[k//2])/2
    xs=[mo['inflow'] for mo in C]
    mean=sum(xs)/n if n else None
    print('avg',r(mean,2),'median',r(median(xs),2) if n else None)
    if n>=2 and mean!=0:
        sd=(sum((x-mean)**2 for x in xs)/(n-1)).sqrt(); cv=r(sd/mean,6); print('cv',cv,sd/mean)
    else: cv=None; print('cv None')
    I=sum(xs); O=sum(mo['outflow'] for mo in C); print('surplus',r((I-O)/I,6) if I else None)
    days=[daily[d] for d in sorted(daily) if n and C[0]['first']<=d<=C[-1]['last']]
    if days:
        bm=sum(days)/len(days); print('avgbal',r(bm,2),'days',len(days))
        if len(days)>=2 and bm!=0:
            bsd=(sum((x-bm)**2 for x in days)/(len(days)-1)).sqrt(); print('vol',r(bsd/bm,6))
    ds=[mo['lcday'] for mo in C if mo['lcday']]
    dist=lambda a,b: min(abs(a-b),31-abs(a-b))
    print('typical', min(sorted(set(ds)),key=lambda c:(sum(dist(c,o) for o in ds),c)) if ds else None, ds)
    print('tier', 'Unknown' if cv is None else 'High' if cv<=D('0.2') else 'Medium' if cv<=D('0.4') else 'Low' if cv<=D('0.7') else 'VeryLow')
    if n>=4:
        for name in ['inflow','outflow']:
            v=[mo[name] for mo in C]; med=median(v); ad=[abs(x-med) for x in v]; mad=median(ad); meanad=sum(ad)/len(ad)
            print(name,'med',med,'mad',mad,'meanad',meanad)
            for mo,x in zip(C,v):
                if mad>0: M=D('0.6745')*(x-med)/mad
                elif meanad>0: M=(x-med)/(D('1.253314')*meanad)
                else: continue
                if abs(r(M,6))>D('3.5'): print('  FLAG',mo['m'],x,r(med,2),r(M,6),r((x-med)/med*100,6) if med else None)
d=json.load(open(sys.argv[1]), parse_float=D)
accs=d['FI']['DEPOSIT'] if 'FI' in d else [d]
for k,a in enumerate(accs):
    print('=== account',k,a['maskedAccNumber'],len(a['transactions']['transaction']), a['transactions'].get('startDate'), a['transactions'].get('endDate'))
    analyze(a)
