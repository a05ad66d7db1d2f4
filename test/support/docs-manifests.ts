// Manifests the Kubernetes docs' pages give, as the pages have them, for the tests that walk them.

/** "Debugging DNS Resolution"'s pod: https://k8s.io/examples/admin/dns/dnsutils.yaml */
export const DNSUTILS_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: dnsutils
  namespace: default
spec:
  containers:
  - name: dnsutils
    image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
    command:
      - sleep
      - "infinity"
    imagePullPolicy: IfNotPresent
  restartPolicy: Always
`;
