// The cluster the kubernetes-plugin conformance tests query: one object per behaviour of the
// reference checklist (K1-K63), with the addresses the test vectors expect.
import { endpointSlice, namespace, pod, service } from './objects.ts';
import type { StubObject } from './stub-api.ts';

/** the pod IP the DNS server claims (env POD_IP), an endpoint of kube-dns: NS answers name kube-dns (K30) */
export const DNS_POD_IP = '10.244.0.5';

export function conformanceCluster(): StubObject[] {
  return [
    namespace('default'),
    namespace('kube-system'),
    namespace('testns'),
    namespace('app'),
    namespace('empty-ns'),

    service({ namespace: 'default', name: 'kubernetes', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }),
    endpointSlice({ namespace: 'default', service: 'kubernetes', endpoints: [{ addresses: ['172.18.0.2'] }], ports: [{ name: 'https', port: 6443 }] }),

    service({
      namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.96.0.10',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 }],
    }),
    endpointSlice({
      namespace: 'kube-system', service: 'kube-dns',
      endpoints: [{ addresses: [DNS_POD_IP], pod: 'coredns-5d78c9869d-abcde' }, { addresses: ['10.244.0.6'], pod: 'coredns-5d78c9869d-fghij' }],
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 }],
    }),

    service({ namespace: 'testns', name: 'svc1', clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({ namespace: 'testns', service: 'svc1', endpoints: [{ addresses: ['10.244.1.10'], pod: 'svc1-pod-7f9c' }], ports: [{ name: 'http', port: 8080 }] }),

    service({ namespace: 'testns', name: 'svc6', clusterIP: 'fd00:10:96::6', ports: [{ name: 'http', port: 80 }] }),
    service({ namespace: 'testns', name: 'dual', clusterIP: ['10.0.0.20', 'fd00:10:96::20'], ports: [{ name: 'http', port: 80 }] }),

    service({
      namespace: 'testns', name: 'multi', clusterIP: '10.0.0.3',
      ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }],
    }),
    service({ namespace: 'testns', name: 'noports', clusterIP: '10.0.0.4' }),
    service({ namespace: 'testns', name: 'empty', clusterIP: '10.0.0.5', ports: [{ name: 'http', port: 80 }] }),
    service({ namespace: 'testns', name: 'udp', clusterIP: '10.0.0.9', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),

    service({ namespace: 'testns', name: 'hdls', clusterIP: 'None', ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }] }),
    endpointSlice({
      namespace: 'testns', service: 'hdls', name: 'hdls-v4',
      endpoints: [
        { addresses: ['10.244.2.1'], hostname: 'web-0', pod: 'web-0' },
        { addresses: ['10.244.2.2'], hostname: 'web-1', pod: 'web-1' },
        { addresses: ['10.244.2.3'], pod: 'hdls-pod-x1' },
        { addresses: ['10.244.2.4'], hostname: 'web-3', ready: false },
        { addresses: ['10.244.2.5'], hostname: 'web-4', ready: null },
      ],
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
    }),
    // the same endpoint listed in a second slice: answers must not repeat it (K42)
    endpointSlice({ namespace: 'testns', service: 'hdls', name: 'hdls-dup', endpoints: [{ addresses: ['10.244.2.1'], hostname: 'web-0' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] }),
    endpointSlice({ namespace: 'testns', service: 'hdls', name: 'hdls-v6', endpoints: [{ addresses: ['fd00:10:244::21'], hostname: 'web-0' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] }),

    service({ namespace: 'testns', name: 'hdls-v6only', clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({ namespace: 'testns', service: 'hdls-v6only', endpoints: [{ addresses: ['fd00:10:244:3::47'] }], ports: [{ name: 'http', port: 80 }] }),

    service({ namespace: 'testns', name: 'hdls-unready', clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({ namespace: 'testns', service: 'hdls-unready', endpoints: [{ addresses: ['10.244.5.1'], ready: false }], ports: [{ name: 'http', port: 80 }] }),

    service({ namespace: 'testns', name: 'hdls-noports', clusterIP: 'None' }),
    endpointSlice({ namespace: 'testns', service: 'hdls-noports', endpoints: [{ addresses: ['10.244.5.9'] }], ports: [] }),

    service({ namespace: 'testns', name: 'six', clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({
      namespace: 'testns', service: 'six',
      endpoints: [1, 2, 3, 4, 5, 6].map((i) => ({ addresses: [`10.244.6.${i}`] })),
      ports: [{ name: 'http', port: 80 }],
    }),

    service({ namespace: 'testns', name: 'shared-a', clusterIP: '10.0.0.11', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({ namespace: 'testns', service: 'shared-a', endpoints: [{ addresses: ['10.244.4.4'] }], ports: [{ name: 'http', port: 80 }] }),
    service({ namespace: 'testns', name: 'shared-b', clusterIP: '10.0.0.12', ports: [{ name: 'http', port: 80 }] }),
    endpointSlice({ namespace: 'testns', service: 'shared-b', endpoints: [{ addresses: ['10.244.4.4'] }], ports: [{ name: 'http', port: 80 }] }),

    service({ namespace: 'testns', name: 'ext', type: 'ExternalName', externalName: 'www.example.org' }),
    service({ namespace: 'testns', name: 'ext-in', type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local' }),
    service({ namespace: 'testns', name: 'ext-ip', type: 'ExternalName', externalName: '1.2.3.4' }),
    service({ namespace: 'testns', name: 'ext-loop', type: 'ExternalName', externalName: 'ext-loop.testns.svc.cluster.local' }),

    service({ namespace: 'app', name: 'web', clusterIP: '10.0.0.8', ports: [{ name: 'http', port: 80 }] }),
    service({ namespace: 'app', name: 'lb', type: 'LoadBalancer', clusterIP: '10.0.0.30', ports: [{ name: 'http', port: 80 }] }),
    service({ namespace: 'app', name: 'np', type: 'NodePort', clusterIP: '10.0.0.31', ports: [{ name: 'http', port: 80 }] }),

    pod('testns', 'svc1-pod-7f9c', '10.244.1.10'),
    pod('testns', 'web-0', ['10.244.2.1', 'fd00:10:244::21']),
    pod('default', 'busybox', '10.244.9.9'),
  ];
}
