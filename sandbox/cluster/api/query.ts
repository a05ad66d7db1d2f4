// Query parameters read as the apiserver reads them.

/**
 * A boolean query parameter (watch, allowWatchBookmarks, follow, stdin, tty, force...): absent is
 * false; "false" and "0", in any letter case, are false; every other value, the empty string and
 * the Python client's "True" included, is true. That is apimachinery's
 * runtime.Convert_Slice_string_To_bool (k8s.io/apimachinery/pkg/runtime/conversion.go), which
 * decodes every ListOptions, DeleteOptions, PodLogOptions and PodExecOptions bool, and what the
 * RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) uses to tell a watch
 * from a list. It is looser than strconv.ParseBool, which would refuse "yes" and "FaLsE".
 * The first value counts when a parameter is repeated, as Go's url.Values.Get.
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  const lower = v.toLowerCase();
  return lower !== 'false' && lower !== '0';
}
