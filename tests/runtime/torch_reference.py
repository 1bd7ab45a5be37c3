"""Independent PyTorch reference of the MILA network, written from docs/ARCHITECTURE.md (not from
the training package), for tests/runtime/torchParity.test.ts. Reads a model directory (float32
shards) and a JSON dump of the TS runtime's inputs/outputs; prints max abs differences as JSON.
Usage: python3 torch_reference.py MODEL_DIR DUMP_JSON
Network: slow keyframes x0, x1 into an MF memory (newest first), fast frame x2 with ILA (naive loop)."""
import json, numpy as np, torch, torch.nn.functional as F, math
import sys
d=sys.argv[1]; dump=sys.argv[2]
mj=json.load(open(d+'/model.json'))
g=mj['weightsManifest'][0]
buf=b''.join(open(d+'/'+p,'rb').read() for p in g['paths'])
W={}; o=0
for w in g['weights']:
    n=int(np.prod(w['shape'])); a=np.frombuffer(buf,dtype='<f4',count=n,offset=o).reshape(w['shape']); o+=4*n
    W[w['name']]=torch.tensor(a.copy())
def conv(x,name,stride=1,dil=1,relu=True):
    k=W[name+'.kernel'].permute(3,2,0,1); kk=k.shape[-1]; p=dil*(kk-1)//2
    y=F.conv2d(x,k,W[name+'.bias'],stride,p,dil)
    return F.relu(y) if relu else y
blocks={18:[2,2,2,2],50:[3,4,6,3],101:[3,4,23,3]}
def encoder(x,net,os,pre):
    x=conv(x,pre+'.conv1',2); x=F.max_pool2d(x,3,2,1)
    basic=net['depth']==18; dil=1; inp=net['baseWidth']
    dl=[False,False,False,True] if os==16 else [False,False,True,True]
    for li,cnt in enumerate(blocks[net['depth']]):
        stride=1 if li==0 else 2; prev=dil
        if dl[li]: dil*=stride; stride=1
        for b in range(cnt):
            p=f'{pre}.layer{li+1}.{b}'; s=stride if b==0 else 1; dd=prev if b==0 else dil
            idn=x
            if basic:
                y=conv(x,p+'.conv1',s,dd); y=conv(y,p+'.conv2',1,dd,False)
            else:
                y=conv(x,p+'.conv1'); y=conv(y,p+'.conv2',s,dd); y=conv(y,p+'.conv3',relu=False)
            if p+'.downsample.0.kernel' in W: idn=conv(x,p+'.downsample.0',s,relu=False)
            x=F.relu(y+idn)
    return x
def featnet(x,pre):
    net=mj[pre]; y=encoder(x,net,mj['outputStride'],pre+'.encoder')
    if net['aspp']:
        a=pre+'.aspp'; h,w=y.shape[2:]
        outs=[conv(y,a+'.branches.0.conv')]+[conv(y,f'{a}.branches.{i+1}.conv',1,r) for i,r in enumerate(net['aspp']['rates'])]
        pool=conv(y.mean((2,3),keepdim=True),a+'.pool.conv'); outs.append(F.interpolate(pool,(h,w),mode='bilinear',align_corners=False))
        y=conv(torch.cat(outs,1),a+'.project.conv')
    return conv(y,pre+'.proj.conv')
H,Wd=mj['input']['height'],mj['input']['width']
def head(t,task):
    r=F.interpolate(conv(t,f'decoders.{task}.head',relu=False),(H,Wd),mode='bilinear',align_corners=False)
    return r if task=='segmentation' else mj['depth']['maxDepth']*torch.sigmoid(r)
def ila(q,ks,vs,L):
    # naive: q [d,h,w], ks list of [d,h,w]
    d,h,w=q.shape; r=L//2; out=torch.zeros(vs[0].shape[0],h,w,dtype=torch.float64)
    for i in range(h):
        for j in range(w):
            sc=[];vv=[]
            for k,v in zip(ks,vs):
                for di in range(-r,r+1):
                    for dj in range(-r,r+1):
                        y,x=i+di,j+dj
                        if 0<=y<h and 0<=x<w: sc.append((q[:,i,j].double()*k[:,y,x].double()).sum()/math.sqrt(d)); vv.append(v[:,y,x].double())
            a=torch.softmax(torch.stack(sc),0); out[:,i,j]=(a[:,None]*torch.stack(vv)).sum(0)
    return out.float()
ts=json.load(open(dump))
res={}
X=[torch.tensor(ts[f'x{i}']).reshape(1,H,Wd,3).permute(0,3,1,2) for i in range(3)]
def nhwc(t): return t.permute(0,2,3,1).reshape(-1).numpy()
def cmp(name,t):
    a=np.array(ts[name]); b=nhwc(t); res[name]={'maxAbs':float(np.abs(a-b).max()),'scale':float(np.abs(b).max())}
with torch.no_grad():
    f0=featnet(X[0],'slow'); tk0={t:conv(f0,f'decoders.{t}.conv') for t in ['segmentation','depth']}
    cmp('k1seg',head(tk0['segmentation'],'segmentation')); cmp('k1dep',head(tk0['depth'],'depth'))
    f1=featnet(X[1],'slow'); tk1={t:conv(f1,f'decoders.{t}.conv') for t in ['segmentation','depth']}
    ff=featnet(X[2],'fast'); tf_={t:conv(ff,f'decoders.{t}.conv') for t in ['segmentation','depth']}
    cmp('foseg',head(tf_['segmentation'],'segmentation')); cmp('fodep',head(tf_['depth'],'depth'))
    outs={}
    for t in ['segmentation','depth']:
        q=conv(ff,f'ila.{t}.query',relu=False)[0]
        ks=[conv(f,f'ila.{t}.key',relu=False)[0] for f in (f1,f0)]
        vs=[tk[t][0] for tk in (tk1,tk0)]
        A=ila(q,ks,vs,mj['ila']['window'])[None]
        outs[t]=head(conv(torch.cat([tf_[t],A],1),f'ila.{t}.fuse.conv'),t)
    cmp('fseg',outs['segmentation']); cmp('fdep',outs['depth'])
print(json.dumps(res))
