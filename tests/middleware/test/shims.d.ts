// The test installs Express 4 and Koa 2 under aliases beside Express 5 and Koa 3; their public
// shapes are close enough to type them as the current majors.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
